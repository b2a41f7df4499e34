// The Open311 GeoReport v2 endpoints: partner keys, uploaded photos, the address resolver and
// the service attributes, read from the reference directory at start-up.
#include <fstream>
#include <sstream>

#include "app/app.h"

namespace cityops::app {

Status App::start_open311() {
  const auto path = config_.reference_dir / "open311" / "service-attributes.csv";
  std::ifstream in(path, std::ios::binary);
  if (!in) return invalid("missing_reference", "cannot read " + path.string(), "reference_dir");
  std::ostringstream text;
  text << in.rdbuf();
  auto attributes = open311::parse_attributes_csv(text.str());
  if (!attributes) {
    return Status(attributes.status().kind(), attributes.status().code(),
                  path.string() + ": " + attributes.status().message(),
                  attributes.status().field());
  }
  media_ = std::make_unique<services::MediaStore>(
      config_.data_dir / "media", static_cast<size_t>(config_.open311.media_max_bytes));
  open311_ = std::make_unique<api::Open311Context>(
      *api_context_, api::Open311Settings{config_.open311.jurisdiction_id}, *api_keys_, *media_,
      [this](const std::string& address) -> Result<api::ResolvedAddress> {
        const auto snapshot = reference();
        auto place = snapshot->gazetteer().resolve(address);
        if (!place) return place.status();
        return api::ResolvedAddress{place->point, place->name};
      },
      std::move(attributes).value());
  // A taxonomy that does not know a service the attributes name must stop the start.
  if (auto catalogue = open311_->catalogue(); !catalogue) return catalogue.status();
  api::add_open311_routes(router_, *open311_);
  return Status::ok();
}

}  // namespace cityops::app
