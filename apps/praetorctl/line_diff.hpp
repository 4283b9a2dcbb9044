// A unified diff of two texts, line by line, in the shape of Python's difflib.unified_diff as
// patronictl edit-config prints it: "--- " and "+++ " (no file names), then hunks headed
// "@@ -a,b +c,d @@" with three lines of context, "-" before "+" inside each change. The
// matching lines are a longest common subsequence (difflib's matcher can pair lines
// differently on some inputs; both are correct diffs). Pure; any thread.
#pragma once

#include <string>
#include <vector>

namespace praetor::ctl {

// The lines of the diff, without their newlines; empty when the texts have the same lines.
// Texts are split as patronictl splits them: trailing newlines dropped, then one line per '\n'.
std::vector<std::string> unified_diff(const std::string& before, const std::string& after,
                                      int context = 3);

}  // namespace praetor::ctl
