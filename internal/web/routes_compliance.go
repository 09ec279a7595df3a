package web

// complianceMessages holds the console texts of the compliance pages.
var complianceMessages = map[string][2]string{}

// registerCompliance registers the contact-governor routes: contact log,
// pre-contact checks, approvals and the compliance console.
func (s *Server) registerCompliance() {}
