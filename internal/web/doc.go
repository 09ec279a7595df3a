// Package web is Accord's HTTP edge: the JSON API under /api/v1 (described by
// OpenAPI 3.1, served at /api/v1/openapi.json, errors as RFC 9457
// problem+json) and the server-rendered console (Go templates, htmx and
// ECharts, zh-CN first with an English switch).
//
// Every route declares the one permission it needs (routes.go); access is
// denied by default. A request is authenticated by a console session cookie
// (state-changing requests must carry the session's CSRF token) or by an API
// token in an "Authorization: Bearer" header. Handlers parse, call one
// collect.Service method with the user passed explicitly, and render.
package web
