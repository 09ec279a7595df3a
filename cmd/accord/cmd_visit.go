package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"text/tabwriter"

	"github.com/urfave/cli/v3"

	"accord/internal/errs"
	"accord/internal/route"
)

func (m *Main) visitCommand() *cli.Command {
	return &cli.Command{
		Name:  "visit",
		Usage: "field visits (外访): plan a pair's day",
		Commands: []*cli.Command{{
			Name:      "route",
			Usage:     "plan one pair's day of visits from a file (no database; see docs/VISITS.md)",
			ArgsUsage: "[--file] DAY.json",
			Flags: []cli.Flag{
				&cli.StringFlag{Name: "file", Usage: "day JSON file ('-' for standard input)"},
				&cli.BoolFlag{Name: "json", Usage: "print the plan as JSON"},
				&cli.StringFlag{Name: "svg", Usage: "also write a map of the day to this SVG file"},
				&cli.StringFlag{Name: "now", Usage: "re-plan the rest of the day from this time (HH:MM)"},
				&cli.StringFlag{Name: "at", Usage: "re-plan from this place, LAT,LON (default: the base)"},
				&cli.StringSliceFlag{Name: "done", Usage: "re-plan: visits already made (ids, repeat or comma-separate)"},
				&cli.StringSliceFlag{Name: "cancelled", Usage: "re-plan: visits cancelled (ids, repeat or comma-separate)"},
			},
			Action: func(ctx context.Context, c *cli.Command) error {
				d, err := m.readVisitDay(c)
				if err != nil {
					return err
				}
				p, err := planVisitDay(d, c)
				if err != nil {
					return err
				}
				if name := c.String("svg"); name != "" {
					if err := os.WriteFile(name, route.SVG(d, p), 0o644); err != nil {
						return errs.Field("--svg", "%v", err)
					}
				}
				if c.Bool("json") {
					enc := json.NewEncoder(m.stdout)
					enc.SetIndent("", "  ")
					return enc.Encode(p)
				}
				return printVisitPlan(m.stdout, p)
			},
		}},
	}
}

// readVisitDay reads and validates the day file named by --file or the first
// argument.
func (m *Main) readVisitDay(c *cli.Command) (route.Day, error) {
	r, err := m.openInput(c, "give the day file to plan")
	if err != nil {
		return route.Day{}, err
	}
	defer r.Close()
	return route.ParseDay(r)
}

// planVisitDay plans d, or re-plans the rest of it when --now, --at, --done or
// --cancelled is given.
func planVisitDay(d route.Day, c *cli.Command) (route.Plan, error) {
	if !c.IsSet("now") && !c.IsSet("at") && !c.IsSet("done") && !c.IsSet("cancelled") {
		return d.Plan(), nil
	}
	now, at := d.From, d.Start
	if v := c.String("now"); v != "" {
		t, err := route.ParseClock(v)
		if err != nil {
			return route.Plan{}, errs.Field("--now", "%s", errs.MessageOf(err))
		}
		now = t
	}
	if v := c.String("at"); v != "" {
		if _, err := fmt.Sscanf(v, "%g,%g", &at.Lat, &at.Lon); err != nil || at.Lat < -90 || at.Lat > 90 || at.Lon < -180 || at.Lon > 180 {
			return route.Plan{}, errs.Field("--at", "%q is not LAT,LON in decimal degrees", v)
		}
	}
	known := map[string]bool{}
	for _, v := range d.Visits {
		known[v.ID] = true
	}
	for _, flag := range []string{"done", "cancelled"} {
		for _, id := range c.StringSlice(flag) {
			if !known[id] {
				return route.Plan{}, errs.Field("--"+flag, "%q is not a visit of the day", id)
			}
		}
	}
	return d.Replan(at, now, c.StringSlice("done"), c.StringSlice("cancelled")), nil
}

// printVisitPlan writes p as a table for people.
func printVisitPlan(w io.Writer, p route.Plan) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "#\tVISIT\tARRIVE\tSTART\tLEAVE")
	for i, s := range p.Stops {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", i+1, s.ID, s.Arrive, s.Start, s.Leave)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "%d stops, %.2f km, back at %s, value %d\n", len(p.Stops), p.TravelKm, p.BackAt, p.Value)
	if len(p.LeftOut) > 0 {
		fmt.Fprintln(w, "Left out:")
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, lo := range p.LeftOut {
			fmt.Fprintf(tw, "  %s\t%s\n", lo.ID, lo.Reason)
		}
		return tw.Flush()
	}
	return nil
}
