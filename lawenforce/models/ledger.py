"""The ledger's tables: entries (append-only), signed checkpoints, and the one-row sequencer.

Only ``lawenforce.ledger.log`` writes them. See lawenforce/ledger/README.md.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LedgerEntry(models.Model):
    """One leaf: the canonical bytes exactly as hashed, never re-serialised.

    ``index`` is the leaf's position, contiguous from 0 (the primary key; assigned by the sequencer).
    """

    index = models.BigIntegerField(_("序号"), primary_key=True)
    kind = models.CharField(_("类别"), max_length=64)
    object_label = models.CharField(_("对象类型"), max_length=100, blank=True)
    object_pk = models.CharField(_("对象主键"), max_length=64, blank=True)
    leaf = models.BinaryField(_("叶子内容"))
    leaf_hash = models.BinaryField(_("叶子哈希"), max_length=32)
    created_at = models.DateTimeField(_("记入时间"), default=timezone.now)

    class Meta:
        verbose_name = _("存证日志条目")
        verbose_name_plural = _("存证日志条目")
        ordering = ["index"]
        indexes = [models.Index(fields=["object_label", "object_pk"], name="ledger_entry_object")]
        constraints = [models.CheckConstraint(condition=models.Q(index__gte=0), name="ledger_entry_index_gte_0")]

    def __str__(self):
        return f"#{self.index} {self.kind}"


class Checkpoint(models.Model):
    """A signed tree head (C2SP tlog-checkpoint signed note)."""

    size = models.BigIntegerField(_("树大小"))
    root_hash = models.BinaryField(_("根哈希"), max_length=32)
    algorithm = models.CharField(_("哈希算法"), max_length=16)
    key_name = models.CharField(_("签名密钥名称"), max_length=200)
    note = models.TextField(_("签名检查点"))
    signature = models.BinaryField(_("签名"), help_text=_("4 字节密钥标识 + 签名值"))
    created_at = models.DateTimeField(_("生成时间"), default=timezone.now)
    timestamp_token = models.BinaryField(
        _("时间戳令牌"), null=True, blank=True, help_text=_("RFC 3161 时间戳令牌（配置 LEDGER_TSA_URL 时生成）")
    )

    class Meta:
        verbose_name = _("检查点")
        verbose_name_plural = _("检查点")
        ordering = ["-size", "-created_at"]
        indexes = [models.Index(fields=["size"], name="ledger_checkpoint_size")]

    def __str__(self):
        return f"{self.size} @ {self.created_at:%Y-%m-%d %H:%M}"


class LedgerSequencer(models.Model):
    """The one row whose lock serialises appends: ``next_index`` and the log's hash algorithm.

    The algorithm is fixed by the first append (from LEDGER_PROFILE) and never changes afterwards.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    next_index = models.BigIntegerField(default=0)
    algorithm = models.CharField(max_length=16)

    class Meta:
        verbose_name = _("存证日志序号")
        verbose_name_plural = _("存证日志序号")
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="ledger_sequencer_single_row")]

    def __str__(self):
        return f"next {self.next_index} ({self.algorithm})"


class LedgerNode(models.Model):
    """The hash of one complete (perfect) subtree of the log, above the leaves.

    The node at (``level``, ``index``) covers the leaves [index·2^level, (index+1)·2^level); level 0
    is ``LedgerEntry.leaf_hash``; only the levels ≥ ``nodes.STORED_FROM`` (4) are stored, the lower
    ones are computed from their leaves when needed. Written by ``log.append`` under the sequencer
    lock as each stored subtree completes; proofs and roots read O(log n) of them.
    """

    level = models.PositiveSmallIntegerField(_("层级"))
    index = models.BigIntegerField(_("序号"))
    hash = models.BinaryField(_("节点哈希"), max_length=32)

    class Meta:
        verbose_name = _("存证日志节点")
        verbose_name_plural = _("存证日志节点")
        constraints = [
            models.UniqueConstraint(fields=["level", "index"], name="ledger_node_level_index"),
            models.CheckConstraint(condition=models.Q(level__gte=1, index__gte=0), name="ledger_node_level_index_gte"),
        ]

    def __str__(self):
        return f"({self.level}, {self.index})"
