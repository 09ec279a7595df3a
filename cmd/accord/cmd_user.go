package main

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/urfave/cli/v3"

	"accord/internal/auth"
	"accord/internal/collect"
	"accord/internal/errs"
)

func (m *Main) userCommand() *cli.Command {
	cliActor := collect.System("cli")
	return &cli.Command{
		Name:  "user",
		Usage: "manage console users and API tokens",
		Commands: []*cli.Command{
			{
				Name:  "create",
				Usage: "create a user",
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "username", Required: true},
					&cli.StringFlag{Name: "name", Usage: "display name"},
					&cli.StringFlag{Name: "roles", Required: true, Usage: "comma-separated: " + rolesList()},
					&cli.StringFlag{Name: "password", Usage: "password (at least 10 characters); read from ACCORD_PASSWORD if unset", Sources: cli.EnvVars("ACCORD_PASSWORD")},
					&cli.StringFlag{Name: "language", Value: "zh-CN", Usage: "zh-CN or en"},
				},
				Action: func(ctx context.Context, c *cli.Command) error {
					if err := m.open(ctx); err != nil {
						return err
					}
					var roles []auth.Role
					for _, r := range strings.Split(c.String("roles"), ",") {
						roles = append(roles, auth.Role(strings.TrimSpace(r)))
					}
					u, err := m.svc.CreateUser(ctx, cliActor, auth.User{Username: c.String("username"), DisplayName: c.String("name"),
						Roles: roles, Language: c.String("language")}, c.String("password"))
					if err != nil {
						return err
					}
					fmt.Fprintf(m.stdout, "created user %s (id %d)\n", u.Username, u.ID)
					return nil
				},
			},
			{
				Name:  "list",
				Usage: "list users",
				Action: func(ctx context.Context, c *cli.Command) error {
					if err := m.open(ctx); err != nil {
						return err
					}
					users, err := m.svc.Users(ctx)
					if err != nil {
						return err
					}
					tw := tabwriter.NewWriter(m.stdout, 0, 4, 2, ' ', 0)
					fmt.Fprintln(tw, "id\tusername\tname\troles\tdisabled")
					for _, u := range users {
						fmt.Fprintf(tw, "%d\t%s\t%s\t%v\t%v\n", u.ID, u.Username, u.DisplayName, u.Roles, u.Disabled)
					}
					return tw.Flush()
				},
			},
			{
				Name:  "password",
				Usage: "set a user's password",
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "username", Required: true},
					&cli.StringFlag{Name: "password", Required: true, Sources: cli.EnvVars("ACCORD_PASSWORD")},
				},
				Action: func(ctx context.Context, c *cli.Command) error {
					if err := m.open(ctx); err != nil {
						return err
					}
					if err := m.svc.SetPassword(ctx, cliActor, c.String("username"), c.String("password")); err != nil {
						return err
					}
					fmt.Fprintln(m.stdout, "password changed")
					return nil
				},
			},
			m.tokenCommand(cliActor),
			{
				Name:      "unlock",
				Usage:     "clear the failed sign-ins and the lock of a user (or, with --addr, of a client address)",
				ArgsUsage: "USERNAME",
				Flags:     []cli.Flag{&cli.StringFlag{Name: "addr", Usage: "unlock this client address instead of a user"}},
				Action: func(ctx context.Context, c *cli.Command) error {
					if err := m.open(ctx); err != nil {
						return err
					}
					var had bool
					var err error
					what := c.Args().First()
					if addr := c.String("addr"); addr != "" {
						what = addr
						had, err = m.svc.UnlockAddress(ctx, cliActor, addr)
					} else if what == "" {
						return errs.Field("USERNAME", "is required (accord user unlock USERNAME, or --addr ADDRESS)")
					} else {
						had, err = m.svc.UnlockUser(ctx, cliActor, what)
					}
					if err != nil {
						return err
					}
					if had {
						fmt.Fprintf(m.stdout, "unlocked %s\n", what)
					} else {
						fmt.Fprintf(m.stdout, "%s had no failed sign-ins\n", what)
					}
					return nil
				},
			},
		},
	}
}

func rolesList() string {
	var s []string
	for _, r := range auth.Roles {
		s = append(s, string(r))
	}
	return strings.Join(s, ", ")
}
