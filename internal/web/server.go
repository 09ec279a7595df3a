package web

import (
	"context"
	"crypto/subtle"
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
	"accord/internal/chat"
	"accord/internal/collect"
	"accord/internal/date"
	"accord/internal/fieldwork"
	"accord/internal/money"
	"accord/internal/negotiation"
	"accord/internal/notify"
	"accord/internal/scoring"
	"accord/internal/selfservice"
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

	// SMSReports authenticates the SMS gateway's delivery-report pushes by
	// its signature (POST /api/v1/notify/sms-report). Nil refuses them all.
	SMSReports *notify.ReportAuth

	// MetricsToken, when set, lets a scraper that is not on this host read
	// /metrics with "Authorization: Bearer <token>". Loopback peers need
	// none; anyone else gets 404 without a token configured.
	MetricsToken string

	// MaxImportBytes caps an import file's size (POST /api/v1/imports);
	// 512 MiB when zero.
	MaxImportBytes int64

	Portal *selfservice.Service // the borrower portal (/my/…) and the payment gateway's callback; nil: they answer 404

	Bot *chat.Service // the borrower chatbot (POST /api/v1/bot/messages); one over the service's database when nil

	BotLimits BotLimits // rate limits of POST /api/v1/bot/messages (api_bot_limit.go); defaults when zero

	Visits *fieldwork.Service // field visits (routes_visit.go); one over the service's database when nil
}

// Server is the HTTP edge: console, JSON API, health and metrics.
type Server struct {
	svc     *collect.Service
	neg     *negotiation.Service // promises to pay: collect's promise book
	bot     *chat.Service        // the borrower chatbot (routes_bot.go)
	visits  *fieldwork.Service   // field visits (routes_visit.go)
	score   *scoring.Service     // scores, reasons and warnings (routes_scoring.go)
	log     *slog.Logger
	opts    Options
	mux     *http.ServeMux
	api     huma.API
	routes  []Route
	pages   *pages
	metrics *metrics
	handler http.Handler

	portalPages *portalPages // the borrower portal's templates (portal.go)

	apiOps     []apiOp          // every API operation with its input and output types (TestAPITypes_NotStoreRows)
	bodyLimits map[string]int64 // mux pattern → the route's body limit, when not the default
	signed     map[string]bool  // mux patterns of permSigned routes: anonymous callers, the route's body limit
}

// Route describes one registered route and the permission it requires; the
// RBAC test walks them all.
type Route struct {
	Method, Pattern string
	Perm            auth.Permission
	API             bool
	MaxBody         int64 // the route's body limit in bytes; 0: defaultBodyLimit
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
	if opts.MaxImportBytes <= 0 {
		opts.MaxImportBytes = 512 << 20
	}
	s := &Server{svc: svc, log: opts.Log, opts: opts, mux: http.NewServeMux(), metrics: newMetrics(), bodyLimits: map[string]int64{}}
	p, err := loadPages(s.zone)
	if err != nil {
		return nil, err
	}
	s.pages = p
	s.api = newAPI(s.mux, opts.Version)
	s.neg = promiseBook(svc, opts.Log)
	s.score = scoringOf(svc, opts.Log)
	s.registerRoutes()
	// Outside in: request id, client address, logs and metrics; security
	// headers; cross-origin refusal; who is calling; body limits and 404s;
	// the route, whose guard checks permission and CSRF.
	s.handler = s.observe(s.secureHeaders(s.crossOrigin(s.authenticate(s.limitBody(s.mux)))))
	return s, nil
}

// now is the service's clock: pages, API defaults ("the last 7 days") and
// request latency all read it, so a test that fixes the service's clock
// runs the whole console on that instant.
func (s *Server) now() time.Time { return s.svc.Now() }

// zone is the lender's business time zone (the service's): "today" and the
// days of a date range are days there.
func (s *Server) zone() *time.Location { return s.svc.Zone() }

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
		// A partner's signature of the request itself (the SMS gateway's
		// delivery reports): X-Signature, with X-Timestamp; see the operation.
		"gatewaySignature": {Type: "apiKey", In: "header", Name: "X-Signature",
			Description: "hex HMAC-SHA256 under the gateway secret of X-Timestamp, a newline and the body"},
	}
	reg := huma.NewMapRegistry("#/components/schemas/", schemaName)
	cfg.Components.Schemas = reg
	reg.RegisterTypeAlias(reflect.TypeFor[money.Amount](), reflect.TypeFor[string]())
	reg.RegisterTypeAlias(reflect.TypeFor[date.Date](), reflect.TypeFor[string]())
	reg.RegisterTypeAlias(reflect.TypeFor[decimal.Decimal](), reflect.TypeFor[string]())
	return humago.New(mux, cfg)
}

// apiOp is a registered API operation's path and Go types.
type apiOp struct {
	Path    string
	In, Out reflect.Type
}

// register adds a JSON API operation guarded by perm.
func register[I, O any](s *Server, perm auth.Permission, op huma.Operation, h func(context.Context, *I) (*O, error)) {
	op.Security = []map[string][]string{{"bearer": {}}}
	if perm == permSigned {
		op.Security = []map[string][]string{{"gatewaySignature": {}}} // checked by the handler, not by a user
	}
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
	s.routes = append(s.routes, Route{Method: op.Method, Pattern: op.Path, Perm: perm, API: true, MaxBody: op.MaxBodyBytes})
	s.apiOps = append(s.apiOps, apiOp{Path: op.Path, In: reflect.TypeFor[I](), Out: reflect.TypeFor[O]()})
	if op.MaxBodyBytes > 0 {
		s.bodyLimits[strings.ToUpper(op.Method)+" "+op.Path] = op.MaxBodyBytes
	}
	if perm == permSigned {
		if s.signed == nil {
			s.signed = map[string]bool{}
		}
		s.signed[strings.ToUpper(op.Method)+" "+op.Path] = true
	}
	huma.Register(s.api, op, h)
}

// handle adds a console or plain route guarded by perm.
func (s *Server) handle(method, pattern string, perm auth.Permission, h http.HandlerFunc) {
	s.routes = append(s.routes, Route{Method: method, Pattern: pattern, Perm: perm})
	s.mux.HandleFunc(method+" "+pattern, s.guard(perm, h))
}

// handleStatic serves the embedded assets. A directory is not a file: its
// path answers 404, never a listing.
func (s *Server) handleStatic() http.Handler {
	sub, _ := fs.Sub(staticFS, "static")
	fsrv := http.StripPrefix("/static/", http.FileServerFS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/static/")
		if name == "" || strings.HasSuffix(name, "/") {
			s.notFound(w, r)
			return
		}
		if fi, err := fs.Stat(sub, name); err != nil || fi.IsDir() {
			s.notFound(w, r)
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=3600")
		fsrv.ServeHTTP(w, r)
	})
}

// handleMetrics serves Prometheus metrics to a scraper on this host
// (a loopback peer, not relaying for anyone) or to one that presents
// Options.MetricsToken. Anyone else is told nothing exists here (404), or,
// when a token is configured, that the token is missing or wrong (401).
func (s *Server) handleMetrics() http.Handler {
	prom := promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.metricsAllowed(r) {
			prom.ServeHTTP(w, r)
			return
		}
		if s.opts.MetricsToken == "" {
			s.notFound(w, r)
			return
		}
		w.Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte("metrics token required\n"))
	})
}

func (s *Server) metricsAllowed(r *http.Request) bool {
	if tok := s.opts.MetricsToken; tok != "" {
		got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if ok && subtle.ConstantTimeCompare([]byte(got), []byte(tok)) == 1 {
			return true
		}
	}
	// From this host: the direct peer is loopback, and no proxy says it is
	// relaying for someone else.
	if r.Header.Get("X-Forwarded-For") != "" || r.Header.Get("Forwarded") != "" {
		return false
	}
	return peerIP(r).IsLoopback()
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
