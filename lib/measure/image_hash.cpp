#include "measure/image_hash.hpp"

#include "crypto/hash.hpp"

namespace cocoon::measure {

std::string image_hash_hex(const RegisterSet& r) {
  crypto::Hasher h(crypto::HashAlg::sha256);
  for (const Register* reg :
       {&r.mrtd, &r.mrconfigid, &r.mrowner, &r.mrownerconfig, &r.rtmr[0], &r.rtmr[1], &r.rtmr[2], &r.rtmr[3]})
    h.update(ByteView(reg->data(), reg->size()));
  const std::array<std::uint8_t, 64> zero{};
  h.update(ByteView(zero.data(), zero.size()));
  return hex_encode(h.finish());
}

Json register_set_to_json(const RegisterSet& r) {
  return Json{{"mrtd", to_hex(r.mrtd)},       {"mrconfigid", to_hex(r.mrconfigid)},
              {"mrowner", to_hex(r.mrowner)}, {"mrownerconfig", to_hex(r.mrownerconfig)},
              {"rtmr0", to_hex(r.rtmr[0])},   {"rtmr1", to_hex(r.rtmr[1])},
              {"rtmr2", to_hex(r.rtmr[2])},   {"rtmr3", to_hex(r.rtmr[3])}};
}

}  // namespace cocoon::measure
