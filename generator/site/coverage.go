package site

import (
	"strconv"
	"strings"

	"digest/generator/content"
)

// Coverage groups beyond content.SourceGroups: a registered outlet without
// a group, and an outlet not in the registry.
const (
	GroupOther        = "other"
	GroupUnclassified = "unclassified"
)

// GroupName is the name pages give a coverage group.
func GroupName(group string) string {
	switch group {
	case content.GroupRussianState:
		return "Russian state media"
	case content.GroupUkrainian:
		return "Ukrainian outlets"
	case content.GroupRussianIndependent:
		return "Independent Russian outlets"
	case content.GroupInternational:
		return "International outlets"
	case GroupOther:
		return "Other outlets"
	}
	return "Outlets not in the registry"
}

// Coverage counts the articles of a list by the group of their outlet.
type Coverage struct {
	Total int
	// Parts are the four groups of content.SourceGroups, in that order and
	// even when they count nothing, then GroupOther and GroupUnclassified
	// when they count something.
	Parts []CoveragePart
}

// CoveragePart is one group's share of a Coverage.
type CoveragePart struct {
	Group string // a content.SourceGroups value, GroupOther or GroupUnclassified
	Name  string // as pages name the group: "Russian state media"
	Count int
	// Start and Width place the part on a bar 100 long, as percentages
	// with at most two decimals ("0", "41.67"): the parts with articles
	// tile the bar from 0 to 100 exactly, one after another in the order
	// of Parts; a part without articles has width 0.
	Start, Width string
}

// GroupOf returns the coverage group of an outlet.
func GroupOf(s *SourceInfo) string {
	switch {
	case s == nil || s.Source == nil:
		return GroupUnclassified
	case s.Source.Group == "":
		return GroupOther
	}
	return s.Source.Group
}

// Coverage counts the articles of list by the group of their outlet; nil
// for an empty list.
func (m *Model) Coverage(list []*content.Article) *Coverage {
	if len(list) == 0 {
		return nil
	}
	counts := map[string]int{}
	for _, a := range list {
		counts[GroupOf(m.SourceOf(a))]++
	}
	c := &Coverage{Total: len(list)}
	groups := append(content.SourceGroups(), GroupOther, GroupUnclassified)
	done := 0 // articles of the parts placed so far
	for i, g := range groups {
		n := counts[g]
		if n == 0 && i >= len(groups)-2 {
			continue
		}
		start, end := hundredths(done, c.Total), hundredths(done+n, c.Total)
		done += n
		c.Parts = append(c.Parts, CoveragePart{Group: g, Name: GroupName(g), Count: n,
			Start: percent(start), Width: percent(end - start)})
	}
	return c
}

// hundredths is n out of total in hundredths of a percent, rounded half up.
func hundredths(n, total int) int { return (n*10000*2 + total) / (2 * total) }

// percent writes hundredths of a percent as a decimal number: 4167 is
// "41.67", 5000 is "50", 1250 is "12.5".
func percent(h int) string {
	s := strconv.Itoa(h / 100)
	if frac := h % 100; frac != 0 {
		s += strings.TrimRight("."+strconv.Itoa(100 + frac)[1:], "0")
	}
	return s
}

// key sums up what the coverage shows, for a page's Key.
func (c *Coverage) key() string {
	b := make([]byte, 0, 32)
	b = append(b, "cov"...)
	for _, p := range c.Parts {
		b = append(b, ' ')
		b = append(b, p.Group...)
		b = append(b, ':')
		b = strconv.AppendInt(b, int64(p.Count), 10)
	}
	return string(b)
}
