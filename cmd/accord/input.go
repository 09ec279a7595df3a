package main

import (
	"io"
	"os"

	"github.com/urfave/cli/v3"

	"accord/internal/errs"
)

// openInput opens the file a stateless command reads: --file, else the first
// argument, '-' for standard input. missing is the message when neither is
// given. The caller closes what it returns.
func (m *Main) openInput(c *cli.Command, missing string) (io.ReadCloser, error) {
	name := c.String("file")
	if name == "" {
		name = c.Args().First()
	}
	if name == "" {
		return nil, errs.Field("--file", "%s", missing)
	}
	if name == "-" {
		return io.NopCloser(m.stdin), nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, errs.Field("--file", "%v", err)
	}
	return f, nil
}
