// Package source reads what the scanner scans and hands it on as
// finding.Chunks: the blobs of a git history (every commit on every ref), the
// blobs a commit range added, the blobs staged in the index, the files of a
// directory, and a stream such as stdin. It is the only package that knows git.
//
// A whole history is read in-process from the object directory: each pack's
// .idx gives the objects' offsets, one pass over the headers gives every
// object's type through its delta chain, and only blobs (and the delta bases
// they need, kept in a bounded cache) are inflated, front to back, in as
// many stretches as there are workers; loose objects (the newest commits)
// are inflated directly, first. With a Prefilter (History.UsePrefilter: the
// detector's keyword search), the keyword hits of each rebuilt blob are found
// once, a delta's from its base's and a search of only what the delta
// changed, and a chunk that is a whole blob carries them (finding.Chunk.Hits).
// What that reader does not handle (alternates, SHA-256, a malformed pack)
// is read by one `git cat-file --batch-all-objects --batch --unordered`
// instead; without a git binary, go-git serves every interface (and
// in-memory repositories). A partial clone's missing blobs are fetched from
// its promisor remote in batches; what cannot be read is counted as missing
// or corrupt (finding.Stats), and ErrNoBlobs says nothing at all could be.
//
// The commit walk that places findings is one `git log --raw --all`,
// alongside the read, at once or (Options.WalkOnMark) from the first content
// a caller marks as having findings (Marker): a history without findings is
// never walked. A range starts its walk (`git log -c --raw BASE..HEAD`) at
// once, while the caller loads its configuration, and rebuilds each blob
// in-process by id as the walk first names it (packbyid.go: a window of the
// .idx read where the id should sit, only the chain a blob needs inflated,
// its bases cached), on the cores the walk leaves idle; those chunks come
// without their locations, which Locate gives once the walk is over
// (rangeread.go). Staged changes are listed in-process from the index file
// and HEAD's tree (stagedindex.go, indexfile.go; git lists what that
// cannot read) and read the same way, and the files of a commit (a range's
// base configuration) and its tree are read in-process (objects.go). A
// repository of the common layout is found without git (discover.go). What the in-process readers cannot read
// (alternates, a promisor remote's blobs, damage) goes to
// `git cat-file --batch`, a long list split over several.
//
// Content is cut into windows of at most WindowSize bytes that overlap by
// Overlap bytes, so memory stays bounded by a few windows whatever the size of
// a blob; each window says the line and column it starts at. Binary content
// is skipped and counted unless asked for; UTF-16 text is decoded.
//
// What a git run scans is decided here too (selection.go): Repo.Select
// turns the command line's Want (a range, the staged changes, a pre-commit
// hook's call; bound by Want.Bind) into a Selection (Repo.Pick: unless the
// caller gives one), and Repo.Selected reads it; OriginURL and
// TopLevel answer where a directory's repository and remote are.
//
// Settings are the reading flags every scanning command takes (Bind binds
// them; Options reads them).
//
// It imports finding, cliflag and its own dependencies (go-git, zerolog),
// never another stage.
package source
