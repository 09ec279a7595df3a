package web

import (
	"context"
	"embed"
	"encoding/json"
	"io/fs"
	"log/slog"
	"net/http"
	"net/netip"
	"path"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"
	"github.com/govalues/decimal"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"accord/internal/auth"
	"accord/internal/collect"
	"accord/internal/date"
	"accord/internal/money"
)

//go:embed static
var staticFS embed.FS

// Options configure a Server.
type Options struct {
	Log        *slog.Logger
	SessionTTL time.Duration
	Version    string
	Ready      func(context.Context) error // readiness probe, e.g. a database ping

	// TrustedProxies are the peers whose X-Forwarded-For and
	// X-Forwarded-Proto are believed (see clientaddr.go). Empty: none.
	TrustedProxies []netip.Prefix
}

// Server is the HTTP edge: console, JSON API, health and metrics.
type Server struct {
	svc     *collect.Service
	log     *slog.Logger
	opts    Options
	mux     *http.ServeMux
	api     huma.API
	routes  []Route
	pages   *pages
	metrics *metrics
	handler http.Handler
}

// Route describes one registered route and the permission it requires; the
// RBAC test walks them all.
type Route struct {
	Method, Pattern string
	Perm            auth.Permission
	API             bool
}

type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

func newMetrics() *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "accord_http_requests_total", Help: "HTTP requests by route pattern and status.",
		}, []string{"route", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "accord_http_request_duration_seconds", Help: "HTTP request latency by route pattern.",
			Buckets: []float64{.001, .0025, .005, .01, .02, .05, .1, .25, .5, 1, 2.5},
		}, []string{"route"}),
	}
	m.reg.MustRegister(m.requests, m.latency, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// New returns a Server for svc with every route registered.
func New(svc *collect.Service, opts Options) (*Server, error) {
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	if opts.SessionTTL == 0 {
		opts.SessionTTL = 12 * time.Hour
	}
	s := &Server{svc: svc, log: opts.Log, opts: opts, mux: http.NewServeMux(), metrics: newMetrics()}
	p, err := loadPages()
	if err != nil {
		return nil, err
	}
	s.pages = p
	s.api = newAPI(s.mux, opts.Version)
	s.registerRoutes()
	s.handler = s.observe(s.authenticate(s.mux))
	return s, nil
}

// ServeHTTP makes Server an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Routes returns every registered route with its permission.
func (s *Server) Routes() []Route { return s.routes }

func newAPI(mux *http.ServeMux, version string) huma.API {
	cfg := huma.DefaultConfig("Accord API", version)
	cfg.OpenAPIPath = "/api/v1/openapi"
	cfg.DocsPath = "" // the default docs page loads scripts from a CDN
	cfg.SchemasPath = "/api/v1/schemas"
	cfg.Info.Description = "Collections and repayment negotiation for consumer-finance lenders. " +
		"Money is a decimal string in yuan with two places (\"788.49\"); dates are YYYY-MM-DD. " +
		"Authenticate with \"Authorization: Bearer <token>\" (accord user token create)."
	cfg.Components.SecuritySchemes = map[string]*huma.SecurityScheme{
		"bearer": {Type: "http", Scheme: "bearer"},
	}
	reg := huma.NewMapRegistry("#/components/schemas/", schemaName)
	cfg.Components.Schemas = reg
	reg.RegisterTypeAlias(reflect.TypeFor[money.Amount](), reflect.TypeFor[string]())
	reg.RegisterTypeAlias(reflect.TypeFor[date.Date](), reflect.TypeFor[string]())
	reg.RegisterTypeAlias(reflect.TypeFor[decimal.Decimal](), reflect.TypeFor[string]())
	return humago.New(mux, cfg)
}

// register adds a JSON API operation guarded by perm.
func register[I, O any](s *Server, perm auth.Permission, op huma.Operation, h func(context.Context, *I) (*O, error)) {
	op.Security = []map[string][]string{{"bearer": {}}}
	op.Extensions = map[string]any{"x-permission": string(perm)}
	op.Middlewares = append(op.Middlewares, func(ctx huma.Context, next func(huma.Context)) {
		r, _ := humago.Unwrap(ctx)
		if err := check(r, principalOf(ctx.Context()), perm); err != nil {
			p := s.problem(r, err)
			_ = huma.WriteErr(s.api, ctx, p.Status, p.Detail)
			return
		}
		next(ctx)
	})
	s.routes = append(s.routes, Route{Method: op.Method, Pattern: op.Path, Perm: perm, API: true})
	huma.Register(s.api, op, h)
}

// handle adds a console or plain route guarded by perm.
func (s *Server) handle(method, pattern string, perm auth.Permission, h http.HandlerFunc) {
	s.routes = append(s.routes, Route{Method: method, Pattern: pattern, Perm: perm})
	s.mux.HandleFunc(method+" "+pattern, s.guard(perm, h))
}

func (s *Server) handleStatic() http.Handler {
	sub, _ := fs.Sub(staticFS, "static")
	fsrv := http.StripPrefix("/static/", http.FileServerFS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		fsrv.ServeHTTP(w, r)
	})
}

func (s *Server) handleMetrics() http.Handler {
	return promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{})
}

func itoa(n int) string { return strconv.Itoa(n) }

// OpenAPI returns the API description (OpenAPI 3.1) as indented JSON, the
// same document served at /api/v1/openapi.json.
func (s *Server) OpenAPI() ([]byte, error) {
	return json.MarshalIndent(s.api.OpenAPI(), "", "  ")
}

// schemaName names an API schema after its Go type, prefixed with the
// package for types outside web (LedgerLoan, CollectLoanPage), so that two
// packages' types of the same name cannot collide.
func schemaName(t reflect.Type, hint string) string {
	name := huma.DefaultSchemaNamer(t, hint)
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array || t.Kind() == reflect.Map {
		t = t.Elem()
	}
	pkg := path.Base(t.PkgPath())
	if t.Name() == "" || pkg == "." || pkg == "web" || !strings.HasPrefix(t.PkgPath(), "accord/") {
		return name
	}
	return strings.ToUpper(pkg[:1]) + pkg[1:] + name
}
