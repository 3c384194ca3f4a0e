// The archive reader over zstd (release archives from a mirror, build outputs): validating every tar
// header in a .tar.zst or plain .tar. Listed members keep their invariants (relative normalised paths
// without "..", file sizes within the input's decompressed bytes), and reading a listed file member
// back gives content of the listed size.
#include "archive/archive.hpp"
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace a = cocoon::archive;
  const auto& path = cocoon::fuzz::scratch_file(cocoon::fuzz::bytes(data, size));
  // Small caps keep a run fast; the caps are checked like the real ones.
  a::ReadLimits limits;
  limits.max_members = 4096;
  limits.max_member_size = 1 << 20;
  limits.max_total_size = 4 << 20;
  auto members = a::list_archive(path, limits);
  if (!members) return 0;
  int reads = 0;
  for (const auto& mem : *members) {
    FUZZ_CHECK(!mem.path.empty() && mem.path[0] != '/');
    FUZZ_CHECK(mem.path != ".." && mem.path.rfind("../", 0) != 0 &&
               mem.path.find("/../") == std::string::npos);
    FUZZ_CHECK(mem.size <= limits.max_member_size);
    if (mem.type == a::MemberType::file && reads++ < 2) {
      auto content = a::read_member(path, mem.path, limits.max_member_size);
      FUZZ_CHECK(content);
      FUZZ_CHECK(content->size() == mem.size);
    }
  }
  return 0;
}
