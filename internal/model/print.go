package model

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// Print writes a summary of m for people: rows, preprocessing,
// coefficients or points and metrics.
func (m *Model) Print(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "%s model of %s = %q\n", m.Kind, m.Target, m.Positive)
	fmt.Fprintf(tw, "rows\ttrain %d\ttest %d\n", m.Rows.Train, m.Rows.Test)
	if m.L2 > 0 {
		fmt.Fprintf(tw, "L2 penalty\t%g\n", m.L2)
	}
	if m.Points != nil {
		p := m.Points
		fmt.Fprintf(tw, "points\t%g at odds %g:1, %g to double the odds\tbase points %.2f\n", p.BaseScore, p.BaseOdds, p.PDO, p.BasePoints)
	}
	fmt.Fprintf(tw, "intercept\t%.6g\n", m.Intercept)
	fmt.Fprintln(tw, "\nfeature\ttype\tpreprocessing\tcoefficients")
	for _, f := range m.Features {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", f.Name, f.Type, f.preprocessing(m.Kind), f.coefficients(m.Kind))
	}
	for _, u := range m.Unused {
		fmt.Fprintf(tw, "%s\tunused\t%s\t\n", u.Column, u.Reason)
	}
	if m.Kind == Scorecard {
		fmt.Fprintln(tw, "\nfeature\tbin\trows\tpositives\tWoE\tpoints")
		for _, f := range m.Features {
			for _, b := range f.Bins {
				fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%.4f\t%.2f\n", f.Name, b.label(), b.Count, b.Positives, b.WoE, b.Points)
			}
		}
	}
	fmt.Fprintln(tw, "\n\trows\tpositives\tAUC\tKS\tBrier")
	printEval(tw, "train", &m.Metrics.Train)
	if m.Metrics.Test != nil {
		printEval(tw, "test", m.Metrics.Test)
	}
	return tw.Flush()
}

func printEval(w io.Writer, name string, e *Eval) {
	fmt.Fprintf(w, "%s\t%d\t%d\t%.4f\t%.4f\t%.4f\n", name, e.Rows, e.Positives, e.AUC, e.KS, e.Brier)
}

func (f *Feature) preprocessing(kind Kind) string {
	if f.Type == TypeNumeric && kind == Scorecard {
		if f.MissingTrain > 0 {
			return fmt.Sprintf("monotone bins; missing → its own bin (%d in train)", f.MissingTrain)
		}
		return fmt.Sprintf("monotone bins; missing → the bin of the median %.10g", f.Median)
	}
	if f.Type == TypeNumeric {
		s := fmt.Sprintf("missing → median %.10g", f.Median)
		if f.MissingIndicator {
			s += fmt.Sprintf(" + indicator (%d missing in train)", f.MissingTrain)
		}
		return s
	}
	var lv []string
	for _, l := range f.Levels {
		lv = append(lv, fmt.Sprintf("%s (%d)", l.Value, l.Count))
	}
	return fmt.Sprintf("levels %s; unseen → %s", strings.Join(lv, ", "), f.Default)
}

func (f *Feature) coefficients(kind Kind) string {
	if kind == Scorecard {
		return fmt.Sprintf("IV %.4f, coefficient on WoE %.4f", f.IV, f.Coef)
	}
	if f.Type == TypeNumeric {
		s := fmt.Sprintf("%.6g", f.Coef)
		if f.MissingIndicator {
			s += fmt.Sprintf(", missing %.6g", f.MissingCoef)
		}
		return s
	}
	var cs []string
	for i, l := range f.Levels {
		if i == 0 {
			cs = append(cs, l.Value+" 0 (reference)")
			continue
		}
		cs = append(cs, fmt.Sprintf("%s %.6g", l.Value, l.Coef))
	}
	return strings.Join(cs, ", ")
}

func (b Bin) label() string {
	switch {
	case b.Missing:
		return "missing"
	case b.Levels != nil:
		return strings.Join(b.Levels, "|")
	case b.Upper == nil:
		return "above"
	}
	return fmt.Sprintf("≤ %.10g", *b.Upper)
}
