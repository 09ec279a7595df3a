package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strings"
	"time"

	"accord/internal/auth"
)

//go:embed templates
var templateFS embed.FS

// pages holds one parsed template set per page, each with the layout.
type pages struct {
	set map[string]*template.Template
}

// loadPages parses every page with the layout. Timestamps on pages ("ts")
// are shown in zone(), the lender's business time zone.
func loadPages(zone func() *time.Location) (*pages, error) {
	funcs := template.FuncMap{
		"t":     tr,
		"trs":   trStatus,
		"lower": strings.ToLower,
		"ts": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.In(zone()).Format("2006-01-02 15:04:05")
		},
		"can":    func(u *auth.User, p string) bool { return u != nil && u.Can(auth.Permission(p)) },
		"add":    func(a, b int) int { return a + b },
		"pct":    percent,      // format.go: 0.18 → 18%
		"chance": scorePercent, // page_score.go: a probability, 0.4567 → 45.7%
		"lbl":    negLabel,     // page_negotiation_i18n.go: a code's label, or the code

		"reasonValue": reasonValue, // page_case_reason.go: a reason's or factor's value in the reader's language
	}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	p := &pages{set: map[string]*template.Template{}}
	for _, n := range names {
		base := strings.TrimPrefix(n, "templates/")
		if base == "layout.html" {
			continue
		}
		t, err := template.New(base).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", n)
		if err != nil {
			return nil, fmt.Errorf("parse %s: %w", n, err)
		}
		p.set[base] = t
	}
	return p, nil
}

// view is what every page template receives.
type view struct {
	Lang string
	User *auth.User
	CSRF string
	Path string
	Data any
}

// render executes a page with the layout.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	s.renderPart(w, r, status, name, "layout", data)
}

// renderPart executes template name of a page — "layout" for the whole page,
// or one block of it for an htmx fragment — into a buffer first, so that a
// template error becomes a clean 500 rather than half a page.
func (s *Server) renderPart(w http.ResponseWriter, r *http.Request, status int, page, name string, data any) {
	t, ok := s.pages.set[page]
	if !ok {
		s.logError("render", fmt.Errorf("no template %s", page))
		http.Error(w, "Internal error.", http.StatusInternalServerError)
		return
	}
	v := view{Lang: langOf(r), Path: r.URL.RequestURI(), Data: data}
	if p := principalOf(r.Context()); p != nil {
		u := p.User
		v.User = &u
		if p.Session != nil {
			v.CSRF = p.Session.CSRFToken
		}
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, v); err != nil {
		s.logError("render", err, "template", page+"/"+name)
		http.Error(w, "Internal error.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}
