package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/urfave/cli/v3"

	"accord/internal/collect"
	"accord/internal/errs"
	"accord/internal/negotiation"
)

const negotiatePolicyHelp = `Offer policy versions (limits, discount rate, authority matrix; the document
format is in docs/NEGOTIATION.md §5).

  accord negotiate policy list [--json]          every version, newest first
  accord negotiate policy show [ID] [--json]     one version (the published one without ID) as a
                                                 table, with what differs from the published version
  accord negotiate policy check --file P.json    check a document without a database
  accord negotiate policy save --file P.json --as USER   save a document as a draft version
  accord negotiate policy publish ID --as USER           publish a saved version

Saving and publishing act as the console user named by --as (who must exist,
be enabled and hold strategy:edit), audited as that user. Four eyes hold as
in the console and the API: the user who saved a version may not publish it,
so a document is saved by one user and published by another. Listing,
showing and checking read only and need no --as.`

const negotiateTeamHelp = `Teams' negotiation settings: the offer policy version a team's cases use,
whether they take part in a running offer policy experiment, and the team's
monthly restructuring budget as a share of its outstanding balance.

  accord negotiate team list [--json]
  accord negotiate team set TEAM_ID --as USER [--policy ID] [--no-experiment] [--budget-share 0.03] [--note TEXT]

Each set saves a new version (audited); --policy 0 (the default) follows the
published version; --budget-share "" takes the lender's default.`

var cliActor = collect.System("cli")

// negotiation returns the negotiation service wired into the opened
// collect service.
func (m *Main) negotiation(ctx context.Context) (*negotiation.Service, error) {
	if err := m.open(ctx); err != nil {
		return nil, err
	}
	n, ok := m.svc.PromiseBook().(*negotiation.Service)
	if !ok {
		return nil, errs.Errorf(errs.Internal, "the negotiation service is not wired")
	}
	return n, nil
}

// supportStep is the nightly step of the negotiation service wired into
// svc (negotiation.Wire) that sends the support programme's messages.
func supportStep(svc *collect.Service) collect.NightlyStep {
	return svc.PromiseBook().(*negotiation.Service).SupportStep()
}

func (m *Main) printJSON(v any) error {
	enc := json.NewEncoder(m.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func (m *Main) readPolicyFile(c *cli.Command) ([]byte, error) {
	if c.String("file") == "" {
		return nil, errs.Field("--file", "give the offer policy document (POLICY.json)")
	}
	r, err := m.openInput(c, "give the offer policy document (POLICY.json)")
	if err != nil {
		return nil, err
	}
	defer r.Close()
	b, err := io.ReadAll(io.LimitReader(r, negotiation.MaxPolicyBytes+1))
	if err != nil {
		return nil, errs.Field("--file", "%v", err)
	}
	return b, nil
}

func versionArg(c *cli.Command, required bool) (int64, error) {
	a := c.Args().First()
	if a == "" && !required {
		return 0, nil
	}
	id, err := strconv.ParseInt(a, 10, 64)
	if err != nil || id <= 0 {
		return 0, errs.Field("ID", "must be an offer policy version id (see accord negotiate policy list), not %q", a)
	}
	return id, nil
}

func (m *Main) negotiatePolicyCommand() *cli.Command {
	jsonFlag := &cli.BoolFlag{Name: "json", Usage: "print JSON"}
	fileFlag := func() *cli.StringFlag {
		return &cli.StringFlag{Name: "file", Usage: "offer policy JSON document ('-' for standard input)"}
	}
	return &cli.Command{
		Name:        "policy",
		Usage:       "offer policy versions: list, show, check, save, publish",
		Description: negotiatePolicyHelp,
		Commands: []*cli.Command{
			{Name: "list", Usage: "every offer policy version, newest first", Flags: []cli.Flag{jsonFlag},
				Action: func(ctx context.Context, c *cli.Command) error {
					n, err := m.negotiation(ctx)
					if err != nil {
						return err
					}
					list, err := n.OfferPolicyVersions(ctx, cliActor)
					if err != nil {
						return err
					}
					if c.Bool("json") {
						return m.printJSON(list)
					}
					if len(list) == 0 {
						fmt.Fprintln(m.stdout, "no offer policy versions yet (the built-in default applies)")
						return nil
					}
					tw := tabwriter.NewWriter(m.stdout, 0, 4, 2, ' ', 0)
					fmt.Fprintln(tw, "id\tname\tversion\tstatus\tsaved by\tsaved\tpublished by")
					for _, v := range list {
						fmt.Fprintf(tw, "%d\t%s\t%d\t%s\t%s\t%s\t%s\n", v.ID, v.Name, v.Version, v.Status, v.CreatedBy,
							v.CreatedAt.UTC().Format(time.DateOnly), v.PublishedBy)
					}
					return tw.Flush()
				}},
			{Name: "show", Usage: "one version as a table (the published one without ID) and its changes against the published one",
				ArgsUsage: "[ID]", Flags: []cli.Flag{jsonFlag},
				Action: func(ctx context.Context, c *cli.Command) error {
					id, err := versionArg(c, false)
					if err != nil {
						return err
					}
					n, err := m.negotiation(ctx)
					if err != nil {
						return err
					}
					d, err := n.OfferPolicyDetail(ctx, cliActor, id)
					if err != nil {
						return err
					}
					var changes []negotiation.PolicyChange
					if pub, err := n.OfferPolicyDetail(ctx, cliActor, 0); err == nil && pub.Version.ID != d.Version.ID {
						changes = negotiation.DiffPolicies(pub.Policy, d.Policy)
					} else if err != nil && errs.CodeOf(err) != errs.NotFound {
						return err
					}
					if c.Bool("json") {
						return m.printJSON(map[string]any{"version": d.Version, "policy": d.Policy,
							"changes_from_published": nonNilSlice(changes)})
					}
					return m.printPolicy(d, changes)
				}},
			{Name: "check", Usage: "check an offer policy document without a database", Flags: []cli.Flag{fileFlag()},
				Action: func(ctx context.Context, c *cli.Command) error {
					b, err := m.readPolicyFile(c)
					if err != nil {
						return err
					}
					p, err := negotiation.CheckOfferPolicy(b)
					if err != nil {
						return err
					}
					fmt.Fprintf(m.stdout, "offer policy %s is valid\n", p.Name)
					return nil
				}},
			{Name: "save", Usage: "save an offer policy document as a draft version (as --as USER)",
				Flags: []cli.Flag{fileFlag(), policyAsFlag()},
				Action: func(ctx context.Context, c *cli.Command) error {
					if err := requireAs(c, "saving"); err != nil {
						return err
					}
					b, err := m.readPolicyFile(c)
					if err != nil {
						return err
					}
					if _, err := negotiation.CheckOfferPolicy(b); err != nil {
						return err // before opening the database
					}
					n, err := m.negotiation(ctx)
					if err != nil {
						return err
					}
					by, err := m.actorAs(ctx, c)
					if err != nil {
						return err
					}
					v, err := n.CreateOfferPolicyVersion(ctx, by, b)
					if err != nil {
						return err
					}
					fmt.Fprintf(m.stdout, "saved offer policy %s version %d as draft (id %d)\n", v.Name, v.Version, v.ID)
					return nil
				}},
			{Name: "publish", Usage: "publish a saved version (as --as USER, not its saver)", ArgsUsage: "ID",
				Flags: []cli.Flag{fileFlag(), policyAsFlag()},
				Action: func(ctx context.Context, c *cli.Command) error {
					if c.String("file") != "" {
						return errs.Field("--file", "publish takes the id of a saved version: save the document with "+
							"accord negotiate policy save --file P.json --as USER, then another user publishes it (four eyes)")
					}
					id, err := versionArg(c, true)
					if err != nil {
						return err
					}
					if err := requireAs(c, "publishing"); err != nil {
						return err
					}
					n, err := m.negotiation(ctx)
					if err != nil {
						return err
					}
					by, err := m.actorAs(ctx, c)
					if err != nil {
						return err
					}
					v, err := n.PublishOfferPolicy(ctx, by, id)
					if err != nil {
						return err
					}
					fmt.Fprintf(m.stdout, "published offer policy %s version %d (id %d); new offers use it\n", v.Name, v.Version, v.ID)
					return nil
				}},
		},
	}
}

// policyAsFlag names the console user saving or publishing a version.
func policyAsFlag() *cli.StringFlag {
	return &cli.StringFlag{Name: "as", Usage: "act as this console user (strategy:edit; four eyes: not the version's saver)"}
}

// requireAs returns an Invalid error naming --as when it is not given.
func requireAs(c *cli.Command, doing string) error {
	if c.String("as") == "" {
		return errs.Field("--as", "give the console user %s the offer policy (four eyes: one user saves, another publishes)", doing)
	}
	return nil
}

func nonNilSlice[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// printPolicy writes version d as tables: the limits, the authority
// matrix, and the changes against the published version.
func (m *Main) printPolicy(d negotiation.PolicyDetail, changes []negotiation.PolicyChange) error {
	v := d.Version
	fmt.Fprintf(m.stdout, "offer policy %s version %d (id %d), %s; saved by %s", v.Name, v.Version, v.ID, v.Status, v.CreatedBy)
	if v.PublishedBy != "" {
		fmt.Fprintf(m.stdout, ", published by %s", v.PublishedBy)
	}
	fmt.Fprintln(m.stdout)
	if d.Policy.Description != "" {
		fmt.Fprintln(m.stdout, d.Policy.Description)
	}
	tw := tabwriter.NewWriter(m.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "\nlimit\tvalue\tfield")
	for _, r := range negotiation.PolicyRows(d.Policy) {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", r.EN, r.Value, r.Field)
	}
	fmt.Fprint(tw, "\nauthority")
	for _, col := range negotiation.AuthorityColumns {
		fmt.Fprintf(tw, "\t%s", col[2])
	}
	fmt.Fprintln(tw)
	for _, r := range negotiation.AuthorityRows(d.Policy) {
		fmt.Fprint(tw, string(r.Level))
		for _, c := range r.Cells() {
			val := "no limit"
			if c != nil {
				val = *c
			}
			fmt.Fprintf(tw, "\t%s", val)
		}
		fmt.Fprintln(tw)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if v.Status == "published" {
		return nil
	}
	if len(changes) == 0 {
		fmt.Fprintln(m.stdout, "\nno change against the published version")
		return nil
	}
	tw = tabwriter.NewWriter(m.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "\nchanged against the published version\tpublished\tthis version")
	for _, ch := range changes {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", ch.EN, dash(ch.From), dash(ch.To))
	}
	return tw.Flush()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func (m *Main) negotiateTeamCommand() *cli.Command {
	return &cli.Command{
		Name:        "team",
		Usage:       "teams' negotiation settings: offer policy, experiments, restructuring budget share",
		Description: negotiateTeamHelp,
		Commands: []*cli.Command{
			{Name: "list", Usage: "every team with its settings in force and this month's budget", Flags: []cli.Flag{
				&cli.BoolFlag{Name: "json", Usage: "print JSON"}},
				Action: func(ctx context.Context, c *cli.Command) error {
					n, err := m.negotiation(ctx)
					if err != nil {
						return err
					}
					list, err := n.Teams(ctx, cliActor)
					if err != nil {
						return err
					}
					if c.Bool("json") {
						return m.printJSON(nonNilSlice(list))
					}
					tw := tabwriter.NewWriter(m.stdout, 0, 4, 2, ' ', 0)
					fmt.Fprintln(tw, "id\tteam\tversion\toffer policy\texperiments\tshare\tbudget\tused\tleft")
					for _, t := range list {
						ver, pol, exp := "-", "published", "yes"
						if s := t.Settings; s != nil {
							ver = strconv.Itoa(s.Version)
							if s.PolicyID != 0 {
								pol = fmt.Sprintf("%s v%d (id %d)", t.PolicyName, t.PolicyVer, s.PolicyID)
								exp = "-"
							} else if !s.Experiment {
								exp = "no"
							}
						}
						b := t.Budget
						fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", t.Team.ID, t.Team.Name, ver, pol, exp,
							negotiation.Percent(b.Share), b.Budget.Grouped(), b.Used.Grouped(), b.Left.Grouped())
					}
					return tw.Flush()
				}},
			{Name: "set", Usage: "save a new version of a team's settings", ArgsUsage: "TEAM_ID", Flags: []cli.Flag{
				&cli.Int64Flag{Name: "policy", Usage: "offer policy version id the team's cases use (0: the published version)"},
				&cli.BoolFlag{Name: "no-experiment", Usage: "keep the team's cases out of offer policy experiments"},
				&cli.StringFlag{Name: "budget-share", Usage: "monthly restructuring budget as a share of the team's outstanding balance, e.g. 0.03"},
				&cli.StringFlag{Name: "note", Usage: "why the settings change"},
				&cli.StringFlag{Name: "as", Usage: "act as this console user (strategy:edit); the change is audited as theirs"}},
				Action: func(ctx context.Context, c *cli.Command) error {
					id, err := strconv.ParseInt(c.Args().First(), 10, 64)
					if err != nil || id <= 0 {
						return errs.Field("TEAM_ID", "must be a team id (see accord negotiate team list), not %q", c.Args().First())
					}
					if c.String("as") == "" {
						return errs.Field("--as", "give the console user changing the team's negotiation settings")
					}
					if s := c.String("budget-share"); s != "" {
						if _, err := negotiation.ParseBudgetShare("--budget-share", s); err != nil {
							return err
						}
					}
					n, err := m.negotiation(ctx)
					if err != nil {
						return err
					}
					by, err := m.actorAs(ctx, c)
					if err != nil {
						return err
					}
					exp := !c.Bool("no-experiment")
					v, err := n.ConfigureTeam(ctx, by, id, negotiation.TeamSettingsRequest{PolicyID: c.Int64("policy"),
						Experiment: &exp, BudgetShare: c.String("budget-share"), Note: c.String("note")})
					if err != nil {
						return renameFields(err, map[string]string{"policy_id": "--policy", "budget_share": "--budget-share", "note": "--note"})
					}
					fmt.Fprintf(m.stdout, "team %d settings version %d saved\n", id, v.Version)
					return nil
				}},
		},
	}
}

// renameFields names an Invalid error's fields as the command line does.
func renameFields(err error, names map[string]string) error {
	fs := errs.FieldsOf(err)
	if len(fs) == 0 || errs.CodeOf(err) != errs.Invalid {
		return err
	}
	out := make([]errs.FieldError, len(fs))
	for i, f := range fs {
		if n, ok := names[f.Field]; ok {
			f.Field = n
		}
		out[i] = f
	}
	return errs.Fields(errs.MessageOf(err), out...)
}
