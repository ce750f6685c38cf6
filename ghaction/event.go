package ghaction

import (
	"encoding/json"
	"fmt"
	"strings"
)

// zeroSHA is the object id GitHub sends for a ref that did not exist (the
// "before" of a new branch) or no longer exists (the "after" of a deletion).
const zeroSHA = "0000000000000000000000000000000000000000"

// Event is the part of a workflow event payload the action reads.
type Event struct {
	Name        string // GITHUB_EVENT_NAME
	PullRequest *struct {
		Number int `json:"number"`
		Base   struct {
			SHA string `json:"sha"`
			Ref string `json:"ref"`
		} `json:"base"`
		Head struct {
			SHA string `json:"sha"`
			Ref string `json:"ref"`
		} `json:"head"`
	} `json:"pull_request"`
	Ref        string `json:"ref"`
	Before     string `json:"before"`
	After      string `json:"after"`
	Deleted    bool   `json:"deleted"`
	Repository struct {
		FullName      string `json:"full_name"`
		DefaultBranch string `json:"default_branch"`
	} `json:"repository"`
}

// ParseEvent reads the payload of the event called name (the file at
// GITHUB_EVENT_PATH). An empty payload is accepted for events that need
// none (schedule, workflow_dispatch).
func ParseEvent(name string, payload []byte) (*Event, error) {
	ev := &Event{Name: name}
	if len(strings.TrimSpace(string(payload))) == 0 {
		payload = []byte("{}")
	}
	if err := json.Unmarshal(payload, ev); err != nil {
		return nil, fmt.Errorf("read the %s event payload: %w", name, err)
	}
	return ev, nil
}

// Plan says what a run scans.
type Plan struct {
	// Full scans the whole history (every ref of the checkout).
	Full bool
	// Base and Head bound a range: the commits of Head not reachable from
	// Base. Base is also where the configuration that can hide findings is
	// read from.
	Base, Head string
	// BaseBranch, when set, names the branch whose remote-tracking ref Base
	// is (refs/remotes/origin/BaseBranch): the Fetcher must fetch it.
	BaseBranch string
	// Empty says there is nothing to scan (a deleted branch); Why tells the
	// user why.
	Empty bool
	Why   string
	// PullRequest is the pull request's number in pull_request runs.
	PullRequest int
	// Fallback is scanned instead when Base cannot be had: the before of
	// a force-push that the remote no longer serves.
	Fallback *Plan
}

// Range is the plan's range as "BASE..HEAD", or "" for full and empty plans.
func (p Plan) Range() string {
	if p.Full || p.Empty {
		return ""
	}
	return p.Base + ".." + p.Head
}

// Describe says in words what the plan scans.
func (p Plan) Describe() string {
	switch {
	case p.Empty:
		return "nothing to scan: " + p.Why
	case p.Full:
		return "the whole history: " + p.Why
	}
	return "commits " + p.Range() + ": " + p.Why
}

// Plan picks what to scan from the event:
//   - pull_request, pull_request_target: base.sha..head.sha, the commits the
//     pull request adds;
//   - push: before..after. A new branch (before is all zeros) is scanned for
//     the commits that are not on the default branch; a first push of the
//     default branch itself (a new repository), or one whose payload does not
//     name the default branch, scans the whole history. When before cannot be
//     fetched (a force-push the remote no longer serves), the same rule as a
//     new branch applies. A deleted branch has nothing to scan;
//   - schedule, workflow_dispatch and any other event: the whole history.
func (ev *Event) Plan() (Plan, error) {
	switch ev.Name {
	case "pull_request", "pull_request_target":
		return ev.pullRequestPlan()
	case "push":
		return ev.pushPlan()
	}
	return Plan{Full: true, Why: ev.Name + " event"}, nil
}

func (ev *Event) pullRequestPlan() (Plan, error) {
	pr := ev.PullRequest
	if pr == nil || !isSHA(pr.Base.SHA) || !isSHA(pr.Head.SHA) {
		return Plan{}, fmt.Errorf("%s event: the payload has no pull_request.base.sha and head.sha", ev.Name)
	}
	return Plan{Base: pr.Base.SHA, Head: pr.Head.SHA, PullRequest: pr.Number,
		Why: fmt.Sprintf("pull request #%d", pr.Number)}, nil
}

func (ev *Event) pushPlan() (Plan, error) {
	if ev.Deleted || ev.After == zeroSHA {
		return Plan{Empty: true, Why: "the push deleted " + ev.Ref}, nil
	}
	if !isSHA(ev.After) {
		return Plan{}, fmt.Errorf("push event: the payload has no after commit")
	}
	if ev.Before != "" && ev.Before != zeroSHA {
		if !isSHA(ev.Before) {
			return Plan{}, fmt.Errorf("push event: before %q is not a commit id", ev.Before)
		}
		p := Plan{Base: ev.Before, Head: ev.After, Why: "push to " + ev.Ref}
		if fb, err := ev.newBranchPlan(); err == nil {
			fb.Why = "push to " + ev.Ref + " whose previous tip " + ev.Before + " is gone (force-push): the commits not on the default branch"
			if fb.Full {
				fb.Why = "push to " + ev.Ref + " whose previous tip " + ev.Before + " is gone (force-push): the whole history"
			}
			p.Fallback = &fb
		}
		return p, nil
	}
	return ev.newBranchPlan()
}

// newBranchPlan scans the commits of After that are not on the default
// branch, or the whole history when there is no other branch to compare
// with.
func (ev *Event) newBranchPlan() (Plan, error) {
	def := ev.Repository.DefaultBranch
	if def != "" && !plainBranch(def) {
		return Plan{}, fmt.Errorf("push event: default branch %q is not a branch name", def)
	}
	if def == "" || ev.Ref == "refs/heads/"+def {
		return Plan{Full: true, Why: "first push of " + ev.Ref}, nil
	}
	return Plan{Base: "refs/remotes/origin/" + def, BaseBranch: def, Head: ev.After,
		Why: "new branch " + ev.Ref + ": the commits not on " + def}, nil
}

// isSHA reports whether s is a full hexadecimal object id (SHA-1 or SHA-256).
func isSHA(s string) bool {
	if len(s) != 40 && len(s) != 64 {
		return false
	}
	for _, c := range s {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// plainBranch reports whether name can go into a refspec as a branch name:
// it refuses what git forbids in branch names and what a refspec reads.
func plainBranch(name string) bool {
	return !strings.HasPrefix(name, "-") && !strings.ContainsAny(name, ": \t\n\r*?[\\^~") && !strings.Contains(name, "..")
}
