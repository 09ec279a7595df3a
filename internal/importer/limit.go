package importer

import (
	"bytes"
	"fmt"
	"io"
)

// lineLimit passes r through and fails with a *lineTooLongError as soon as a
// line grows past MaxLineBytes, so that neither format ever buffers more
// than that for one line. It counts lines as it goes.
type lineLimit struct {
	r    io.Reader
	line int // lines completed so far
	run  int // bytes of the current line so far
}

func (l *lineLimit) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	for b := p[:n]; len(b) > 0; {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			l.run += len(b)
			break
		}
		if l.run+i > MaxLineBytes {
			return 0, &lineTooLongError{line: l.line + 1}
		}
		l.run = 0
		l.line++
		b = b[i+1:]
	}
	if l.run > MaxLineBytes {
		return 0, &lineTooLongError{line: l.line + 1}
	}
	return n, err
}

type lineTooLongError struct{ line int }

func (e *lineTooLongError) Error() string {
	return fmt.Sprintf("line %d is longer than %d bytes", e.line, MaxLineBytes)
}
