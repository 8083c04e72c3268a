package xmlimport

// Report is the outcome of one import.
type Report struct {
	ListsCreated []string `json:"listsCreated"`
	ListsUpdated []string `json:"listsUpdated"`
	ListsDeleted []string `json:"listsDeleted"`
	// RecordsImported counts records created or updated, RecordsDeleted
	// records deleted (mode="delete"), RecordsSkipped records not applied
	// (each has a warning or an error, unless its list's header failed).
	RecordsImported int `json:"recordsImported"`
	RecordsDeleted  int `json:"recordsDeleted"`
	RecordsSkipped  int `json:"recordsSkipped"`
	// RecordsSkippedReadOnly counts the records skipped because records are
	// read-only (Omnichannel Inventory mode), each with OCISkipWarning.
	RecordsSkippedReadOnly int `json:"recordsSkippedReadOnly"`
	// WarningCount and ErrorCount count every issue; Warnings and Errors
	// keep the first Config.MaxIssues of them.
	WarningCount    int     `json:"warningCount"`
	ErrorCount      int     `json:"errorCount"`
	Warnings        []Issue `json:"warnings"`
	Errors          []Issue `json:"errors"`
	IssuesTruncated bool    `json:"issuesTruncated,omitempty"`
}

// Issue is one warning or error, with the line of the element it is about.
type Issue struct {
	Line      int    `json:"line"`
	ListID    string `json:"listId,omitempty"`
	ProductID string `json:"productId,omitempty"`
	Message   string `json:"message"`
}

func newReport() *Report {
	return &Report{ListsCreated: []string{}, ListsUpdated: []string{}, ListsDeleted: []string{},
		Warnings: []Issue{}, Errors: []Issue{}}
}

func (r *Report) add(list *[]Issue, count *int, max int, is Issue) {
	*count++
	if len(r.Warnings)+len(r.Errors) >= max {
		r.IssuesTruncated = true
		return
	}
	*list = append(*list, is)
}
