// Self-signed certificates made with the openssl CLI at test time, in a temporary folder that
// is removed when the object goes: the TLS tests' server certificates, keys and CA files.
// Construct on the test's thread; afterwards the paths are plain strings.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace praetor::test {

class test_certs {
 public:
  test_certs() {
    std::string pattern = (std::filesystem::temp_directory_path() / "praetor-tls-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    dir_ = pattern;
    // The server's: names 127.0.0.1 and localhost. Another, naming only other.example, for
    // host-name and key mismatches.
    make("server", "subjectAltName=IP:127.0.0.1,DNS:localhost", "/CN=localhost");
    make("other", "subjectAltName=DNS:other.example", "/CN=other.example");
    // Certificate and key in one file, as restapi.certfile without restapi.keyfile.
    write("combined.pem", read(cert()) + read(key()));
    // The server's key, encrypted with the password "secret".
    run("openssl pkey -in " + key() + " -out " + path("encrypted.key") +
        " -aes256 -passout pass:secret");
    write("garbage.pem", "this is not PEM\n");
  }
  ~test_certs() {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  test_certs(const test_certs&) = delete;
  test_certs& operator=(const test_certs&) = delete;

  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  std::string cert() const { return path("server.crt"); }  // also the CA that verifies it
  std::string key() const { return path("server.key"); }
  std::string other_cert() const { return path("other.crt"); }
  std::string other_key() const { return path("other.key"); }
  std::string combined() const { return path("combined.pem"); }
  std::string encrypted_key() const { return path("encrypted.key"); }
  std::string garbage() const { return path("garbage.pem"); }
  std::string missing() const { return path("missing.pem"); }

 private:
  void make(const std::string& name, const std::string& san, const std::string& subject) {
    run("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2"
        " -subj " +
        subject + " -addext " + san + " -keyout " + path(name + ".key") + " -out " +
        path(name + ".crt"));
  }
  static void run(const std::string& command) {
    if (std::system((command + " >/dev/null 2>&1").c_str()) != 0)
      throw std::runtime_error("failed: " + command);
  }
  static std::string read(const std::string& file) {
    std::ifstream in(file);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  void write(const std::string& name, const std::string& text) const {
    std::ofstream(path(name)) << text;
  }

  std::filesystem::path dir_;
};

}  // namespace praetor::test
