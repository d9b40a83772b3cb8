// Package suggest finds the word a user probably meant: the "did you mean …?" of error
// messages about unknown settings, app labels and commands.
//
// Distance is the Levenshtein edit distance. Nearest finds the candidate nearest to a word
// by any distance (a caller may ignore case or count a prefix as close), and Closest is
// Nearest by Distance with a limit on the number of edits:
//
//	suggest.Closest("sesions", []string{"admin", "sessions"}, 2) // "sessions"
package suggest

// Distance is the Levenshtein edit distance between a and b: the fewest single-character
// insertions, deletions and substitutions that turn a into b, counting runes.
func Distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// Nearest returns the candidate at the smallest distance from word (the first of them on a
// tie) and that distance, measured by distance(word, candidate). With no candidates it
// returns "" and -1.
func Nearest(word string, candidates []string, distance func(word, candidate string) int) (string, int) {
	best, bestD := "", -1
	for _, c := range candidates {
		if d := distance(word, c); bestD < 0 || d < bestD {
			best, bestD = c, d
		}
	}
	return best, bestD
}

// Closest returns the candidate nearest to word by Distance (the first of them on a tie)
// when it is at most max edits away, and "" otherwise.
func Closest(word string, candidates []string, max int) string {
	best, d := Nearest(word, candidates, Distance)
	if d < 0 || d > max {
		return ""
	}
	return best
}
