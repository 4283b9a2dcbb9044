// Splitting a configured command line into words the way Patroni does it, Python's
// shlex.split() in POSIX mode, so that a `postgresql.callbacks` or `bootstrap.post_bootstrap`
// value means the same program and arguments under praetor as under Patroni. No shell is involved:
// nothing is expanded
// ($VAR, `cmd`, globs, ~) and `#` starts no comment. Pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace praetor::config {

struct shell_words {
  std::vector<std::string> words;
  std::string error;  // shlex's complaint ("No closing quotation", ...), "" when the text split
  bool ok() const { return error.empty(); }
};

// The words of `text`, split as shlex.split(text):
//   - space, tab, CR and LF separate words; any run of them counts once;
//   - outside quotes, a backslash takes the next character literally (also a newline);
//   - '...' takes everything up to the next ' literally;
//   - "..." likewise, except that \" and \\ stand for " and \ (any other backslash stays);
//   - quoted and unquoted parts next to each other form one word; '' or "" alone is an empty
//     word.
// An unclosed quote or a trailing backslash is an error, as in shlex. Blank text has no words.
shell_words split_shell_words(std::string_view text);

// The words as one line a POSIX shell (and split_shell_words) reads back as the same words:
// words made only of safe characters stay bare, others are single-quoted. For the log, so that
// an operator can paste the command and try it by hand.
std::string quote_shell_words(const std::vector<std::string>& words);

}  // namespace praetor::config
