// What the Open311 GeoReport v2 handlers need beyond the core API: the partner keys, the
// uploaded photos, the address resolver and the catalogue of services.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "api/context.h"
#include "open311/catalogue.h"
#include "services/api_keys.h"
#include "services/media_store.h"

namespace cityops::api {

struct Open311Settings {
  // Answers only requests without a jurisdiction_id or with this one.
  std::string jurisdiction_id = "130304";
  std::string contact = "北戴河区城市管理指挥中心";
};

// A place an address string resolved to.
struct ResolvedAddress {
  geo::LonLat wgs84{};
  std::string name;
};

struct Open311Context {
  using Resolver = std::function<Result<ResolvedAddress>(const std::string&)>;
  Open311Context(ApiContext& api, Open311Settings settings, services::ApiKeyService& keys,
                 services::MediaStore& media, Resolver resolve_address,
                 std::vector<open311::Attribute> attributes)
      : api(api),
        settings(std::move(settings)),
        keys(keys),
        media(media),
        resolve_address(std::move(resolve_address)),
        attributes(std::move(attributes)) {}

  ApiContext& api;
  Open311Settings settings;
  services::ApiKeyService& keys;
  services::MediaStore& media;
  // kInvalidArgument "unresolved_address" (field address_string) when nothing matches.
  Resolver resolve_address;
  // The service attributes as parsed at start-up; the catalogue pairs them with the taxonomy
  // of the reference data in force.
  std::vector<open311::Attribute> attributes;

  // The catalogue for the current reference data, rebuilt when that is replaced.
  Result<std::shared_ptr<const open311::Catalogue>> catalogue();

  // The cache behind catalogue().
  std::mutex catalogue_mutex;
  std::shared_ptr<const services::ReferenceData> catalogue_reference;
  std::shared_ptr<const open311::Catalogue> catalogue_built;
};

void add_open311_routes(Router& router, Open311Context& ctx);

}  // namespace cityops::api
