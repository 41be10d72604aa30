package clean

// selectArticle returns the range [first, last) of blocks that holds the
// article: the run of blocks whose summed weight is greatest, where prose
// weighs by its length and boilerplate against it (the maximum-sum
// subarray, as in Finn's body text extraction).
//
// A section label that follows articles ("Related Articles", "Comments")
// ends a run. Once a run long enough to be an article has been seen, a
// run after such a label must outweigh it several times over to replace
// it: the teasers and comments after the label are often longer than the
// article (the RT aggregator page prints three whole stories after
// "Related Articles"), while an article that a "Related" box interrupts
// near its start continues at length after it.
func selectArticle(blocks []*block) (first, last int) {
	best, sum, start := 0.0, 0.0, 0
	need := 0.0 // weight a run must exceed to become the best
	gap := 0    // boilerplate blocks in a row
	for i, b := range blocks {
		if b.label || b.appeal {
			if best >= articleWeight {
				need = best * afterLabelFactor
			}
			sum, start = 0, i+1
			continue
		}
		w := weight(b)
		if b.own == bad {
			// Each further block of a gap costs more: an article
			// survives a share bar or an advertisement between its
			// paragraphs, not a whole list of other stories.
			w *= 1 + float64(gap)/4
			gap++
		} else if b.own != short {
			gap = 0
		}
		sum += w
		if sum <= 0 {
			sum, start = 0, i+1
			continue
		}
		if sum > best && sum > need {
			best, first, last = sum, start, i+1
		}
	}
	return first, last
}

const (
	// articleWeight is the weight of a run long enough to be an
	// article: a few paragraphs.
	articleWeight = 400
	// afterLabelFactor is how many times heavier than the article so far
	// a run after an end label must be to replace it.
	afterLabelFactor = 3
)

// weight is a block's contribution to the article run.
func weight(b *block) float64 {
	switch b.own {
	case good:
		return float64(b.chars)
	case near:
		return 0.7 * float64(b.chars)
	case short:
		return -5
	}
	return -(15 + float64(min(b.chars, 200))/4)
}

// findHeadline returns the headline printed before the article.
func findHeadline(blocks []*block, first int) string {
	return ""
}

// keep returns the blocks of the article run that are article text: prose
// (good or near-good alone), and short blocks between prose, such as
// subheadings and datelines.
func keep(run []*block) []*block {
	var out []*block
	for i, b := range run {
		switch b.own {
		case good, near:
			out = append(out, b)
		case short:
			if neighbour(run, i, -1, false) != bad && neighbour(run, i, +1, false) != bad {
				out = append(out, b)
			}
		}
	}
	return out
}
