// patronictl's tables (PrettyTable with its frame rules, as ctl.py print_output draws them):
// a rule, the header row, a rule, the rows, a rule; one blank either side of each cell; cells
// left-aligned except the columns named right-aligned, headers aligned like their column.
// A title is written into the top rule from its second character, cut to fit, as
// PatronictlPrettyTable does (" Cluster: demo (7212...) "). Pure; any thread.
#pragma once

#include <set>
#include <string>
#include <vector>

namespace praetor::ctl {

struct text_table {
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;  // each as long as `columns`
  std::set<std::string> right_aligned;         // column names
  std::string title;                           // "" = a plain top rule
};

// The framed table, each line ending with '\n'.
std::string render_pretty(const text_table& t);

// print_output's tsv: the header and the rows, cells joined by tabs.
std::string render_tsv(const text_table& t);

}  // namespace praetor::ctl
