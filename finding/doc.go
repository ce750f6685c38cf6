// Package finding is the vocabulary every stage of the scanner speaks: a Chunk
// of content read by a source, the Finding a detector makes of it (a credential
// with named Parts, each a Secret that redacts itself), where it was found
// (Location), what validation learnt about it (Validation), and the Stats of a
// run.
//
// It sits at the bottom of the module: it imports only the standard library and
// no other package of the scanner, so source, detect, validate, remediate and
// report can all share it without importing each other.
package finding
