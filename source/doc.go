// Package source reads what the scanner scans and hands it on as
// finding.Chunks: the blobs of a git history (every commit on every ref), the
// blobs a commit range added, the blobs staged in the index, the files of a
// directory, and a stream such as stdin. It is the only package that knows git.
//
// With a git binary, the bulk read streams from one long-lived
// `git cat-file --batch-all-objects --batch --unordered` (each distinct blob
// read once, in pack order), and the commit walk that places findings is one
// `git log --raw` limited to the blobs that had findings. Without one, the
// same interfaces are served by go-git, which also serves in-memory
// repositories.
//
// Content is cut into windows of at most WindowSize bytes that overlap by
// Overlap bytes, so memory stays bounded by a few windows whatever the size of
// a blob; binary content is skipped and counted unless asked for.
//
// It imports finding and its own dependencies (go-git, zerolog), never
// another stage.
package source
