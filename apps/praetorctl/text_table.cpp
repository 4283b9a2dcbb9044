#include "apps/praetorctl/text_table.hpp"

#include <algorithm>

namespace praetor::ctl {

namespace {

// Display width: UTF-8 continuation bytes take no column.
std::size_t width_of(const std::string& s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

}  // namespace

std::string render_pretty(const text_table& t) {
  std::vector<std::size_t> width(t.columns.size());
  for (std::size_t c = 0; c < t.columns.size(); ++c) {
    width[c] = width_of(t.columns[c]);
    for (const auto& r : t.rows) width[c] = std::max(width[c], width_of(r.at(c)));
  }
  std::string rule = "+";
  for (auto w : width) rule += std::string(w + 2, '-') + "+";

  auto line = [&](const std::vector<std::string>& cells) {
    std::string out = "|";
    for (std::size_t c = 0; c < cells.size(); ++c) {
      std::string pad(width[c] - width_of(cells[c]), ' ');
      bool right = t.right_aligned.contains(t.columns[c]);
      out += " " + (right ? pad + cells[c] : cells[c] + pad) + " |";
    }
    return out + "\n";
  };

  std::string top = rule;
  if (!t.title.empty()) {
    auto title = t.title.substr(0, rule.size() - 2);
    top = rule.substr(0, 1) + title + rule.substr(1 + title.size());
  }
  std::string out = top + "\n" + line(t.columns) + rule + "\n";
  for (const auto& r : t.rows) out += line(r);
  return out + rule + "\n";
}

std::string render_tsv(const text_table& t) {
  std::string out;
  auto line = [&](const std::vector<std::string>& cells) {
    for (std::size_t c = 0; c < cells.size(); ++c) out += (c ? "\t" : "") + cells[c];
    out += "\n";
  };
  line(t.columns);
  for (const auto& r : t.rows) line(r);
  return out;
}

}  // namespace praetor::ctl
