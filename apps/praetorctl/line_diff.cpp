#include "apps/praetorctl/line_diff.hpp"

#include <algorithm>
#include <cstddef>

namespace praetor::ctl {

namespace {

std::vector<std::string> lines_of(const std::string& text) {
  auto end = text.find_last_not_of('\n');
  std::string body = end == std::string::npos ? "" : text.substr(0, end + 1);
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (true) {
    auto nl = body.find('\n', start);
    lines.push_back(body.substr(start, nl - start));
    if (nl == std::string::npos) return lines;
    start = nl + 1;
  }
}

// One line of the edit script: kept (in both), removed (from `a`) or added (from `b`).
struct edit {
  char op;            // ' ', '-' or '+'
  std::size_t a = 0;  // lines of `a` before this one
  std::size_t b = 0;  // lines of `b` before this one
  const std::string* text = nullptr;
};

// The edit script along a longest common subsequence; within each run of changes the
// removals come before the additions.
std::vector<edit> edit_script(const std::vector<std::string>& a,
                              const std::vector<std::string>& b) {
  // lcs[i][j]: length of the LCS of a[i..] and b[j..]
  std::vector<std::vector<std::size_t>> lcs(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = a.size(); i-- > 0;)
    for (std::size_t j = b.size(); j-- > 0;)
      lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);

  std::vector<edit> script;
  std::size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    if (i < a.size() && j < b.size() && a[i] == b[j]) {
      script.push_back({' ', i, j, &a[i]});
      ++i, ++j;
      continue;
    }
    // a run of changes: collect its removals and additions, then write them in that order
    std::vector<edit> removed, added;
    while ((i < a.size() || j < b.size()) && !(i < a.size() && j < b.size() && a[i] == b[j])) {
      if (j == b.size() || (i < a.size() && lcs[i + 1][j] >= lcs[i][j + 1])) {
        removed.push_back({'-', i, j, &a[i]});
        ++i;
      } else {
        added.push_back({'+', i, j, &b[j]});
        ++j;
      }
    }
    script.insert(script.end(), removed.begin(), removed.end());
    script.insert(script.end(), added.begin(), added.end());
  }
  return script;
}

// difflib's _format_range_unified: "start,count", "start" when count is 1; an empty range
// names the line before it.
std::string range(std::size_t before, std::size_t count) {
  if (count == 1) return std::to_string(before + 1);
  return std::to_string(count == 0 ? before : before + 1) + "," + std::to_string(count);
}

}  // namespace

std::vector<std::string> unified_diff(const std::string& before, const std::string& after,
                                      int context) {
  const auto a = lines_of(before);
  const auto b = lines_of(after);
  const auto script = edit_script(a, b);
  const auto n = static_cast<std::size_t>(std::max(context, 0));

  std::vector<std::size_t> changes;
  for (std::size_t k = 0; k < script.size(); ++k)
    if (script[k].op != ' ') changes.push_back(k);
  if (changes.empty()) return {};

  std::vector<std::string> out{"--- ", "+++ "};
  std::size_t c = 0;
  while (c < changes.size()) {
    // a hunk: changes closer than 2n kept lines to each other share it
    std::size_t last = c;
    while (last + 1 < changes.size() && changes[last + 1] - changes[last] - 1 <= 2 * n) ++last;
    std::size_t from = changes[c] >= n ? changes[c] - n : 0;
    std::size_t to = std::min(changes[last] + n + 1, script.size());  // one past the end

    std::size_t a_count = 0, b_count = 0;
    for (std::size_t k = from; k < to; ++k) {
      if (script[k].op != '+') ++a_count;
      if (script[k].op != '-') ++b_count;
    }
    out.push_back("@@ -" + range(script[from].a, a_count) + " +" + range(script[from].b, b_count) +
                  " @@");
    for (std::size_t k = from; k < to; ++k) out.push_back(script[k].op + *script[k].text);
    c = last + 1;
  }
  return out;
}

}  // namespace praetor::ctl
