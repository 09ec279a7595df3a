package web

// caseworkMessages holds the console texts of the collections cycle pages.
var caseworkMessages = map[string][2]string{}

// registerCasework registers the collections-cycle routes: the collector
// workbench, case pages, team queues, strategies, experiments, dashboard.
func (s *Server) registerCasework() {}
