// Roads, places, names, categories and channels that make demo cases read like the district's
// own register. Shared by the small demo data set and the large generated one.
#pragma once

#include <array>
#include <random>
#include <string_view>

#include "domain/case.h"

namespace cityops::app {

// clang-format counts a Chinese character as one column, the line limit counts its three bytes.
// clang-format off
constexpr std::array<std::string_view, 16> kDemoPlaces{
    "海宁路", "保二路", "东经路", "西经路", "联峰路", "中海滩路",
    "草厂路", "安一路", "剑秋路", "东海滩路", "北戴河火车站广场",
    "老虎石公园", "鸽子窝公园", "刘庄市场", "戴河口", "碧螺塔公园"};
constexpr std::array<std::string_view, 12> kDemoSurnames{"张", "王", "李", "赵", "刘", "陈",
                                                         "杨", "黄", "周", "吴", "孙", "马"};
constexpr std::array<std::string_view, 12> kDemoGivenNames{
    "伟", "芳", "敏", "静", "磊", "洋", "艳", "军", "杰", "娟", "强", "霞"};
// clang-format on

// Categories that fill a resort district's register, most frequent first.
constexpr std::array<std::string_view, 18> kDemoCategories{
    "06015", "06001", "06002", "06017", "06006", "06010", "06030", "06036", "07001",
    "08001", "01001", "01002", "02003", "02007", "03001", "04001", "06023", "06008"};

struct ChannelWeight {
  Channel channel;
  int weight;
};
constexpr std::array<ChannelWeight, 8> kDemoChannels{{
    {Channel::kHotline, 40},
    {Channel::kGridPatrol, 22},
    {Channel::kWeb, 10},
    {Channel::kMobileApp, 10},
    {Channel::kVideoAnalytics, 8},
    {Channel::kInspection, 6},
    {Channel::kSensor, 2},
    {Channel::kLeaderInstruction, 2},
}};

// A channel drawn with the weights above.
inline Channel draw_demo_channel(std::mt19937& rng) {
  int total = 0;
  for (const auto& c : kDemoChannels) total += c.weight;
  int roll = std::uniform_int_distribution<int>(0, total - 1)(rng);
  for (const auto& c : kDemoChannels) {
    if (roll < c.weight) return c.channel;
    roll -= c.weight;
  }
  return Channel::kHotline;
}

}  // namespace cityops::app
