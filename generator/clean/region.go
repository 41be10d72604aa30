package clean

// selectArticle returns the range [first, last) of blocks that holds the
// article: the run of blocks whose summed weight is greatest, where prose
// weighs by its length and boilerplate against it. A section label
// ("Related Articles", "Comments") ends any run, so the teasers and
// comments after it cannot join the article even when they are long prose.
func selectArticle(blocks []*block) (first, last int) {
	best, sum, start := 0.0, 0.0, 0
	for i, b := range blocks {
		if b.label {
			sum, start = 0, i+1
			continue
		}
		sum += weight(b)
		if sum <= 0 {
			sum, start = 0, i+1
			continue
		}
		if sum > best {
			best, first, last = sum, start, i+1
		}
	}
	return first, last
}

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
