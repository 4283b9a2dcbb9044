#include "config/shell_words.hpp"

namespace praetor::config {
namespace {

bool is_separator(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

}  // namespace

shell_words split_shell_words(std::string_view text) {
  shell_words out;
  std::string word;
  // A word has begun once any character of it was read, so that '' counts as an empty word.
  bool in_word = false;
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (is_separator(c)) {
      if (in_word) out.words.push_back(std::move(word));
      word.clear();
      in_word = false;
      ++i;
    } else if (c == '\\') {
      if (i + 1 >= text.size()) return {{}, "No escaped character"};
      word += text[i + 1];
      in_word = true;
      i += 2;
    } else if (c == '\'') {
      const auto close = text.find('\'', i + 1);
      if (close == std::string_view::npos) return {{}, "No closing quotation"};
      word.append(text.substr(i + 1, close - i - 1));
      in_word = true;
      i = close + 1;
    } else if (c == '"') {
      in_word = true;
      for (++i;; ++i) {
        if (i >= text.size()) return {{}, "No closing quotation"};
        if (text[i] == '"') break;
        if (text[i] == '\\') {
          if (i + 1 >= text.size()) return {{}, "No escaped character"};
          // Only the quote and the backslash itself are escaped inside "..." (as in shlex).
          if (text[i + 1] == '"' || text[i + 1] == '\\') ++i;
        }
        word += text[i];
      }
      ++i;  // past the closing quote
    } else {
      word += c;
      in_word = true;
      ++i;
    }
  }
  if (in_word) out.words.push_back(std::move(word));
  return out;
}

std::string quote_shell_words(const std::vector<std::string>& words) {
  auto safe = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '/' ||
           c == '.' || c == '_' || c == '-' || c == '+' || c == ',' || c == ':' || c == '=' ||
           c == '@' || c == '%';
  };
  std::string line;
  for (const auto& w : words) {
    if (!line.empty()) line += ' ';
    bool bare = !w.empty();
    for (char c : w) bare = bare && safe(c);
    if (bare) {
      line += w;
      continue;
    }
    // '...' keeps everything literal; a ' inside becomes '\'' (close, escaped quote, reopen).
    line += '\'';
    for (char c : w) line += c == '\'' ? std::string("'\\''") : std::string(1, c);
    line += '\'';
  }
  return line;
}

}  // namespace praetor::config
