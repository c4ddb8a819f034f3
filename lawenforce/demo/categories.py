"""The standard enforcement categories (执法类别).

Migration 0002 loads the same list as reference data; it keeps its own frozen copy because a
migration must not change when this module does. The seed re-ensures these rows so that it
also works on a database whose reference data was removed.
"""

REFERENCE_CATEGORIES = [
    ("market", "市场监管"),
    ("ecology", "生态环境"),
    ("urban", "城市管理综合执法"),
    ("transport", "交通运输"),
    ("culture", "文化市场"),
    ("emergency", "应急管理"),
    ("natural_resources", "自然资源"),
    ("agriculture", "农业农村"),
    ("health", "卫生健康"),
    ("water", "水利"),
]

# The category an officer of each agency sector is certified for (codes match Sector values).
SECTOR_CATEGORY = {
    "market": "market",
    "ecology": "ecology",
    "urban": "urban",
    "transport": "transport",
}
