package main

import (
	"context"
	"fmt"

	"github.com/urfave/cli/v3"

	"accord/internal/web"
)

func (m *Main) openapiCommand() *cli.Command {
	return &cli.Command{
		Name:  "openapi",
		Usage: "print the JSON API's OpenAPI 3.1 description (docs/openapi.json is this output)",
		Action: func(ctx context.Context, c *cli.Command) error {
			srv, err := web.New(nil, web.Options{Log: m.log, Version: version})
			if err != nil {
				return err
			}
			b, err := srv.OpenAPI()
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(m.stdout, "%s\n", b)
			return err
		},
	}
}
