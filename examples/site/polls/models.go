package polls

import (
	"sort"
	"sync"
)

// Question is a poll.
type Question struct {
	ID      int
	Text    string
	Choices []*Choice
}

// Choice is one answer of a question.
type Choice struct {
	ID    int
	Text  string
	Votes int
}

// Total is the number of votes the question got.
func (q *Question) Total() int {
	n := 0
	for _, c := range q.Choices {
		n += c.Votes
	}
	return n
}

// Store keeps the polls in memory, safe for concurrent use.
type Store struct {
	mu        sync.Mutex
	questions map[int]*Question
}

// NewStore returns a store with the example's questions.
func NewStore() *Store {
	s := &Store{questions: map[int]*Question{}}
	s.add(1, "What should a web framework get right first?", "Security defaults", "Speed", "Docs")
	s.add(2, "Which face of Canter do you use?", "Django-style project", "Flask-style app")
	return s
}

func (s *Store) add(id int, text string, choices ...string) {
	q := &Question{ID: id, Text: text}
	for i, c := range choices {
		q.Choices = append(q.Choices, &Choice{ID: i + 1, Text: c})
	}
	s.questions[id] = q
}

// Questions returns copies of every question, by id.
func (s *Store) Questions() []Question {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Question, 0, len(s.questions))
	for _, q := range s.questions {
		out = append(out, q.copy())
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Question returns a copy of one question.
func (s *Store) Question(id int) (Question, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	q, ok := s.questions[id]
	if !ok {
		return Question{}, false
	}
	return q.copy(), true
}

// Vote counts a vote; it reports false for an unknown question or choice.
func (s *Store) Vote(question, choice int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	q, ok := s.questions[question]
	if !ok {
		return false
	}
	for _, c := range q.Choices {
		if c.ID == choice {
			c.Votes++
			return true
		}
	}
	return false
}

func (q *Question) copy() Question {
	c := *q
	c.Choices = make([]*Choice, len(q.Choices))
	for i, ch := range q.Choices {
		cc := *ch
		c.Choices[i] = &cc
	}
	return c
}
