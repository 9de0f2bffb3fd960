"""A few demo notices: the demo secretary's to their branch and the demo admin's to the province."""

from __future__ import annotations

import uuid

from api.db import Connection
from api.handbook.rendering import render_markdown
from api.notices.service import summarize

_NAMESPACE = uuid.UUID("6f1d3c52-0b7e-4d59-9a53-5d2f7c1e8a40")
# (key, author, role of the grant whose unit is the audience, title, Markdown, category, pinned, requires ack,
#  days ago)
_NOTICES = (
    (
        "branch-meeting",
        "demo.secretary",
        "secretary",
        "Sinh hoạt chi bộ định kỳ tháng này",
        (
            "Chi bộ sinh hoạt định kỳ vào **19 giờ thứ Năm** tuần này tại nhà văn hoá khu phố.\n\n"
            "Đề nghị các đồng chí đọc trước tài liệu và đến đúng giờ."
        ),
        "meeting",
        True,
        True,
        1,
    ),
    (
        "branch-dues",
        "demo.secretary",
        "secretary",
        "Thu đảng phí quý",
        "Các đồng chí nộp đảng phí quý này cho đồng chí phó bí thư trước ngày 15.",
        "general",
        False,
        False,
        3,
    ),
    (
        "province-study",
        "demo.admin",
        "admin",
        "Học tập chuyên đề năm",
        (
            "Ban Thường vụ Tỉnh ủy đề nghị các chi bộ tổ chức học tập chuyên đề năm trong quý này.\n\n"
            "- Tài liệu có trong mục *Học tập*.\n- Mỗi đảng viên viết bài thu hoạch."
        ),
        "study",
        False,
        False,
        5,
    ),
)


async def seed_notices(conn: Connection) -> int:
    """Write the demo notices not written yet (fixed ids, so running it again adds nothing); how many."""
    written = 0
    for key, username, role, title, body, category, pinned, requires_ack, days in _NOTICES:
        author = await conn.fetchrow(
            "select a.id, a.display_name, g.unit_id from accounts a join role_grants g on g.account_id = a.id "
            "where a.username = $1 and g.role = $2 order by g.unit_id limit 1",
            username,
            role,
        )
        if author is None:
            continue
        body_html = render_markdown(body)
        status = await conn.execute(
            "insert into notices (id, unit_id, author_id, author_name, title, body_md, body_html, summary, category, "
            "pinned, requires_ack, publish_at) "
            "values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, now() - make_interval(days => $12)) "
            "on conflict (id) do nothing",
            uuid.uuid5(_NAMESPACE, key),
            author["unit_id"],
            author["id"],
            author["display_name"],
            title,
            body,
            body_html,
            summarize(body_html),
            category,
            pinned,
            requires_ack,
            days,
        )
        written += int(status.rsplit(" ", 1)[-1])
    return written
