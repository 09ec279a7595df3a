package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/urfave/cli/v3"

	"accord/internal/auth"
	"accord/internal/collect"
	"accord/internal/date"
	"accord/internal/errs"
)

// tokenCommand is `accord user token`: create (also the default, for
// `accord user token --username U --name N`), list and revoke API tokens.
func (m *Main) tokenCommand(by collect.Actor) *cli.Command {
	createFlags := func() []cli.Flag {
		return []cli.Flag{
			&cli.StringFlag{Name: "username", Usage: "the user the token acts as"},
			&cli.StringFlag{Name: "name", Usage: "what the token is for, e.g. core-banking-sync"},
			&cli.StringFlag{Name: "expires", Usage: "lifetime (90d, 720h) or last day (2027-03-01); default 90d, at most 366d"},
		}
	}
	create := func(ctx context.Context, c *cli.Command) error {
		if c.String("username") == "" {
			return errs.Field("--username", "is required")
		}
		if c.String("name") == "" {
			return errs.Field("--name", "is required")
		}
		if err := m.open(ctx); err != nil {
			return err
		}
		ttl, err := m.tokenTTL(c.String("expires"))
		if err != nil {
			return err
		}
		tok, rec, err := m.svc.IssueToken(ctx, by, collect.TokenRequest{Username: c.String("username"), Name: c.String("name"), TTL: ttl})
		if err != nil {
			return err
		}
		fmt.Fprintln(m.stdout, tok)
		fmt.Fprintf(m.stderr, "token %d expires %s; it is shown once\n", rec.ID, rec.ExpiresAt.Format(time.RFC3339))
		return nil
	}
	return &cli.Command{
		Name:   "token",
		Usage:  "API tokens acting as a user: create (shown once), list, revoke",
		Flags:  createFlags(),
		Action: create,
		Commands: []*cli.Command{
			{Name: "create", Usage: "issue an API token (printed once on stdout)", Flags: createFlags(), Action: create},
			{
				Name: "list", Usage: "list a user's tokens: id, name, created, expires, last used, revoked", ArgsUsage: "USERNAME",
				Action: func(ctx context.Context, c *cli.Command) error {
					if c.Args().First() == "" {
						return errs.Field("USERNAME", "is required (accord user token list USERNAME)")
					}
					if err := m.open(ctx); err != nil {
						return err
					}
					list, err := m.svc.Tokens(ctx, c.Args().First())
					if err != nil {
						return err
					}
					return m.printTokens(list)
				},
			},
			{
				Name: "revoke", Usage: "revoke a token by id (see token list); refused at once", ArgsUsage: "ID",
				Action: func(ctx context.Context, c *cli.Command) error {
					id, err := strconv.ParseInt(c.Args().First(), 10, 64)
					if err != nil || id <= 0 {
						return errs.Field("ID", "must be a token id (see accord user token list USERNAME), not %q", c.Args().First())
					}
					if err := m.open(ctx); err != nil {
						return err
					}
					t, err := m.svc.RevokeToken(ctx, by, id)
					if err != nil {
						return err
					}
					fmt.Fprintf(m.stdout, "revoked token %d (%s) at %s\n", t.ID, t.Name, t.RevokedAt.Format(time.RFC3339))
					return nil
				},
			},
		},
	}
}

// tokenTTL reads --expires: days ("90d"), a Go duration ("720h") or the
// last day the token works (YYYY-MM-DD, through the end of that day in the
// lender's zone). Empty is the default lifetime.
func (m *Main) tokenTTL(v string) (time.Duration, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, nil
	}
	var ttl time.Duration
	if days, ok := strings.CutSuffix(v, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil {
			return 0, errs.Field("--expires", "%q is not a number of days such as 90d", v)
		}
		ttl = time.Duration(n) * 24 * time.Hour
	} else if d, err := time.ParseDuration(v); err == nil {
		ttl = d
	} else if day, err := date.Parse(v); err == nil {
		ttl = time.Until(day.AddDays(1).In(shanghai()))
	} else {
		return 0, errs.Field("--expires", "%q is neither a lifetime (90d, 720h) nor a date (2027-03-01)", v)
	}
	if ttl <= 0 {
		return 0, errs.Field("--expires", "must be in the future")
	}
	return ttl, nil
}

func shanghai() *time.Location {
	if z, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return z
	}
	return time.FixedZone("CST", 8*3600)
}

func (m *Main) printTokens(list []auth.APIToken) error {
	when := func(t time.Time) string {
		if t.IsZero() {
			return "-"
		}
		return t.UTC().Format("2006-01-02 15:04Z")
	}
	tw := tabwriter.NewWriter(m.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "id\tname\tprefix\tcreated\texpires\tlast used\trevoked")
	for _, t := range list {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Name, t.Prefix, when(t.CreatedAt), when(t.ExpiresAt),
			when(t.LastUsedAt), when(t.RevokedAt))
	}
	return tw.Flush()
}
