package finding

// Chunk is a piece of content handed from a source to the detectors. Large
// content arrives as several chunks with the same ID, overlapping a little so
// that no credential is cut in two.
type Chunk struct {
	// ID names the content: a git blob id, or the path of a file. Findings in
	// chunks with the same ID belong to the same content.
	ID string
	// Data is the content, or the window of it that Offset and Line place.
	Data []byte
	// Offset is the byte offset of Data[0] in the content.
	Offset int64
	// Line is the 1-based line number of Data[0] in the content.
	Line int
	// Column is the 1-based byte column of Data[0] on its line: 1 when Data
	// starts a line (or is 0, meaning 1), more when a window starts inside a
	// very long line.
	Column int
	// Locations lists where the content is, when the source knows it at read
	// time (a file on disk, a staged blob, a blob added in a commit range). It is
	// empty for blobs read in bulk from a history, and for a range's blobs
	// read while its commits are still being walked; the source locates those
	// later (source.Locator).
	Locations []Location
	// Path, when Locations is empty, is a path the content is at, when the
	// source knows one: it names the content in traces and messages only.
	Path string
	// Hits, when HitsKnown, are every occurrence of a rule keyword in Data,
	// found by the source with the detector's own search
	// (detect.Detector.KeywordSearch): a history read derives a delta's hits
	// from its base's and from what the delta changed. The detector then
	// does not search again; no hits means no keyword.
	Hits      []KeywordHit
	HitsKnown bool
}

// KeywordHit is one occurrence of a rule keyword: where it starts in a
// chunk's Data, its length, and which keyword it is (the detector's index).
type KeywordHit struct {
	Pos, Len, Word int32
}
