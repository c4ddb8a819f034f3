"""Deterministic Chinese personal names for demo officers.

Drawn from common surnames and given-name characters with a seeded random.Random, so the same
seed always gives the same names (string seeds are hashed with SHA-512, not PYTHONHASHSEED).
"""

import random

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕彬鹏辉晶斌宇浩凯健俊帆帅旭宁婷雪琳晨阳瑞博文"


def name_generator(seed):
    """An endless iterator of distinct names for one seed (e.g. one agency)."""
    rng = random.Random(seed)
    seen = set()
    while True:
        given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
        name = rng.choice(SURNAMES) + given
        if name not in seen:
            seen.add(name)
            yield name
