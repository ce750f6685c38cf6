package progress

import (
	"bytes"
	"testing"
)

func TestSweepBar(t *testing.T) {
	var b bytes.Buffer
	bar := &SweepBar{W: &b, On: true}
	bar.Done(1, 3, 2048, 1)
	bar.Done(2, 3, 1024, 2)
	bar.Finish()
	want := "\r\033[Ksweep: 1/3 repositories, 2.0 KiB scanned, 1 findings" +
		"\r\033[Ksweep: 2/3 repositories, 3.0 KiB scanned, 3 findings\n"
	if b.String() != want {
		t.Errorf("bar = %q, want %q", b.String(), want)
	}
	b.Reset()
	off := &SweepBar{W: &b}
	off.Done(1, 1, 10, 1)
	off.Finish()
	if b.Len() != 0 {
		t.Errorf("an off bar wrote %q", b.String())
	}
}
