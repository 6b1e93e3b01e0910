#include "collector/binary_scan.hpp"

#include <elf.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <fstream>

namespace fanout::collector {
namespace {

constexpr std::size_t chunk_size = 1 << 20;
constexpr std::size_t max_needed = 1024;
constexpr std::size_t max_library_name = 4096;

// Reads `size` bytes at `offset`; false when the file is shorter.
bool read_at(std::ifstream& in, std::uint64_t offset, void* out, std::size_t size) {
  in.clear();
  in.seekg(static_cast<std::streamoff>(offset));
  if (!in) return false;
  in.read(static_cast<char*>(out), static_cast<std::streamsize>(size));
  return static_cast<std::size_t>(in.gcount()) == size;
}

// A NUL-terminated string at `offset`, at most max_library_name bytes.
std::optional<std::string> read_string(std::ifstream& in, std::uint64_t offset) {
  std::string text(max_library_name, '\0');
  in.clear();
  in.seekg(static_cast<std::streamoff>(offset));
  if (!in) return std::nullopt;
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  const std::size_t nul = text.find('\0');
  if (nul == std::string::npos) return std::nullopt;
  text.resize(nul);
  return text;
}

template <typename Ehdr, typename Phdr, typename Dyn>
std::vector<std::string> read_needed(std::ifstream& in) {
  Ehdr header;
  if (!read_at(in, 0, &header, sizeof header)) return {};
  if (header.e_phentsize != sizeof(Phdr) || header.e_phnum == 0) return {};

  std::vector<Phdr> segments(header.e_phnum);
  if (!read_at(in, header.e_phoff, segments.data(), segments.size() * sizeof(Phdr))) return {};
  const auto dynamic = std::find_if(segments.begin(), segments.end(),
                                    [](const Phdr& p) { return p.p_type == PT_DYNAMIC; });
  if (dynamic == segments.end()) return {};

  const std::size_t count = std::min<std::size_t>(dynamic->p_filesz / sizeof(Dyn), 64 * 1024);
  std::vector<Dyn> entries(count);
  if (!read_at(in, dynamic->p_offset, entries.data(), count * sizeof(Dyn))) return {};

  std::uint64_t strtab_address = 0;
  std::vector<std::uint64_t> name_offsets;
  for (const Dyn& entry : entries) {
    if (entry.d_tag == DT_NULL) break;
    if (entry.d_tag == DT_STRTAB) strtab_address = entry.d_un.d_ptr;
    if (entry.d_tag == DT_NEEDED && name_offsets.size() < max_needed) {
      name_offsets.push_back(entry.d_un.d_val);
    }
  }
  if (name_offsets.empty() || strtab_address == 0) return {};

  // The string table's address maps to a file offset through the loadable segment holding it.
  std::optional<std::uint64_t> strtab_offset;
  for (const Phdr& segment : segments) {
    if (segment.p_type == PT_LOAD && strtab_address >= segment.p_vaddr &&
        strtab_address < segment.p_vaddr + segment.p_filesz) {
      strtab_offset = strtab_address - segment.p_vaddr + segment.p_offset;
      break;
    }
  }
  if (!strtab_offset) return {};

  std::vector<std::string> names;
  for (const std::uint64_t offset : name_offsets) {
    if (std::optional<std::string> name = read_string(in, *strtab_offset + offset)) {
      names.push_back(std::move(*name));
    }
  }
  return names;
}

}  // namespace

std::optional<std::vector<bool>> find_markers(const std::filesystem::path& path,
                                              const std::vector<std::string_view>& markers) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::vector<bool> found(markers.size(), false);
  std::size_t longest = 1;
  for (std::string_view marker : markers) longest = std::max(longest, marker.size());

  // Each read keeps the last longest-1 bytes of the previous one in front.
  std::string window;
  std::vector<char> chunk(chunk_size);
  std::size_t left = markers.size();
  while (left > 0) {
    in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    const std::size_t got = static_cast<std::size_t>(in.gcount());
    if (got == 0) break;
    window.append(chunk.data(), got);
    for (std::size_t i = 0; i < markers.size(); ++i) {
      if (!found[i] && !markers[i].empty() && window.find(markers[i]) != std::string::npos) {
        found[i] = true;
        --left;
      }
    }
    if (window.size() > longest - 1) window.erase(0, window.size() - (longest - 1));
  }
  if (in.bad()) return std::nullopt;
  return found;
}

std::vector<std::string> needed_libraries(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  unsigned char ident[EI_NIDENT];
  if (!read_at(in, 0, ident, sizeof ident)) return {};
  if (std::memcmp(ident, ELFMAG, SELFMAG) != 0) return {};
  const unsigned char native =
      std::endian::native == std::endian::little ? ELFDATA2LSB : ELFDATA2MSB;
  if (ident[EI_DATA] != native) return {};
  if (ident[EI_CLASS] == ELFCLASS64) return read_needed<Elf64_Ehdr, Elf64_Phdr, Elf64_Dyn>(in);
  if (ident[EI_CLASS] == ELFCLASS32) return read_needed<Elf32_Ehdr, Elf32_Phdr, Elf32_Dyn>(in);
  return {};
}

}  // namespace fanout::collector
