"""Words of the CRM health check in English, 繁體中文 and 简体中文.

Examples
--------
>>> t("title", "zh_tw")
'顧客關係健康檢查'
"""

from __future__ import annotations

from crm_lessons.plotting import check_lang

__all__ = ["ACTIONS", "LANG_NAMES", "REASONS", "TEXT", "t"]

#: The language switch.
LANG_NAMES = {"en": "English", "zh_tw": "繁體中文", "zh_cn": "简体中文"}

#: What to do with each RFM segment (English: ``RFM_SEGMENTS["action"]``).
ACTIONS: dict[str, dict[str, str]] = {
    "champions": {
        "zh_tw": "近期常買：給予回饋，邀請評價與推薦。",
        "zh_cn": "近期常买：给予回馈，邀请评价与推荐。",
    },
    "loyal": {
        "zh_tw": "購買頻繁：提供會員等級與加購，保持聯繫。",
        "zh_cn": "购买频繁：提供会员等级与加购，保持联系。",
    },
    "potential_loyalists": {
        "zh_tw": "近期且回購：用集點卡或組合優惠養成習慣。",
        "zh_cn": "近期且回购：用集点卡或组合优惠养成习惯。",
    },
    "new_customers": {
        "zh_tw": "剛第一次購買：熱情歡迎，給第二次上門的理由。",
        "zh_cn": "刚第一次购买：热情欢迎，给第二次上门的理由。",
    },
    "promising": {
        "zh_tw": "不久前買過一次：用相關優惠溫和提醒。",
        "zh_cn": "不久前买过一次：用相关优惠温和提醒。",
    },
    "need_attention": {
        "zh_tw": "各方面普通：依過去購買推出限時優惠。",
        "zh_cn": "各方面普通：依过去购买推出限时优惠。",
    },
    "about_to_sleep": {
        "zh_tw": "少量購買後變淡：提醒並推薦熱門商品。",
        "zh_cn": "少量购买后变淡：提醒并推荐热门商品。",
    },
    "cannot_lose": {
        "zh_tw": "過去非常常買、最近沉寂：親自聯絡，把他們贏回來。",
        "zh_cn": "过去非常常买、最近沉寂：亲自联系，把他们赢回来。",
    },
    "at_risk": {
        "zh_tw": "常買但最近沒來：在流失前給個人化的挽回優惠。",
        "zh_cn": "常买但最近没来：在流失前给个性化的挽回优惠。",
    },
    "hibernating": {
        "zh_tw": "購買少且久遠：只放進低成本的群發訊息。",
        "zh_cn": "购买少且久远：只放进低成本的群发消息。",
    },
    "lost": {
        "zh_tw": "只有一次久遠購買：不再花錢，了解他們離開的原因。",
        "zh_cn": "只有一次久远购买：不再花钱，了解他们离开的原因。",
    },
}

#: Why the loader set a line aside (English: ``crm_lessons.loader.REASONS``).
REASONS: dict[str, dict[str, str]] = {
    "malformed": {"zh_tw": "欄位數不對", "zh_cn": "字段数不对"},
    "quote": {"zh_tw": "引號沒有結束", "zh_cn": "引号没有结束"},
    "header_repeat": {
        "zh_tw": "重複的標題列（多個匯出檔相接？）",
        "zh_cn": "重复的标题行（多个导出文件相接？）",
    },
    "placeholder_date": {
        "zh_tw": "日期是佔位值，不是真的日期",
        "zh_cn": "日期是占位值，不是真实日期",
    },
    "too_old": {"zh_tw": "日期早於最早允許日期", "zh_cn": "日期早于最早允许日期"},
    "bad_id": {
        "zh_tw": "顧客編號被 Excel 改壞（科學記號或遺失前導零）",
        "zh_cn": "顾客编号被 Excel 改坏（科学计数法或丢失前导零）",
    },
    "before_header": {"zh_tw": "標題列之前的文字", "zh_cn": "标题行之前的文字"},
    "blank": {"zh_tw": "空白列", "zh_cn": "空白行"},
    "total": {"zh_tw": "合計／小計列", "zh_cn": "合计／小计行"},
    "encoding": {"zh_tw": "無法解碼的字元", "zh_cn": "无法解码的字符"},
    "missing_date": {"zh_tw": "缺少日期", "zh_cn": "缺少日期"},
    "bad_date": {"zh_tw": "日期無法讀取", "zh_cn": "日期无法读取"},
    "date_order": {"zh_tw": "日／月順序與其他列矛盾", "zh_cn": "日／月顺序与其他行矛盾"},
    "future_date": {"zh_tw": "日期晚於匯出日", "zh_cn": "日期晚于导出日"},
    "missing_amount": {"zh_tw": "缺少金額", "zh_cn": "缺少金额"},
    "bad_amount": {"zh_tw": "金額不是數字", "zh_cn": "金额不是数字"},
    "decimal_comma": {"zh_tw": "金額以逗號作小數點", "zh_cn": "金额以逗号作小数点"},
    "currency": {"zh_tw": "金額是其他幣別", "zh_cn": "金额是其他币种"},
    "bad_quantity": {"zh_tw": "數量不是整數", "zh_cn": "数量不是整数"},
    "duplicate": {"zh_tw": "與前一列完全重複", "zh_cn": "与前一行完全重复"},
}

TEXT: dict[str, dict[str, str]] = {
    "title": {"en": "CRM health check", "zh_tw": "顧客關係健康檢查", "zh_cn": "顾客关系健康检查"},
    "privacy": {
        "en": "Your data never leave this computer: the file is read by a program running "
        "on this machine (address 127.0.0.1) and nothing is sent anywhere.",
        "zh_tw": "您的資料不會離開這台電腦：檔案由本機（127.0.0.1）上的程式讀取，不會傳送到任何地方。",
        "zh_cn": "您的数据不会离开这台电脑：文件由本机（127.0.0.1）上的程序读取，不会发送到任何地方。",
    },
    "intro": {
        "en": "Upload your till or shop export (CSV or Excel, in any common encoding, "
        "Chinese headers welcome). You will see who your best customers are, who is "
        "slipping away and what to do on Monday.",
        "zh_tw": "上傳收銀機或網店的匯出檔（CSV 或 Excel，常見編碼皆可，中文欄名亦可）。"
        "您會看到最佳顧客、正在流失的顧客，以及星期一該做什麼。",
        "zh_cn": "上传收银机或网店的导出文件（CSV 或 Excel，常见编码均可，中文列名亦可）。"
        "您会看到最佳顾客、正在流失的顾客，以及星期一该做什么。",
    },
    "upload": {"en": "Read my file", "zh_tw": "讀取檔案", "zh_cn": "读取文件"},
    "choose_file": {"en": "Your export", "zh_tw": "您的匯出檔", "zh_cn": "您的导出文件"},
    "mapping": {
        "en": "Which column is which? We guessed; correct anything that is wrong.",
        "zh_tw": "哪一欄是什麼？我們先猜了，有錯請更正。",
        "zh_cn": "哪一列是什么？我们先猜了，有错请更正。",
    },
    "preview": {"en": "First rows of your file", "zh_tw": "檔案前幾列", "zh_cn": "文件前几行"},
    "field_customer_id": {
        "en": "Customer / member number",
        "zh_tw": "顧客／會員編號",
        "zh_cn": "顾客／会员编号",
    },
    "field_date": {"en": "Date of sale", "zh_tw": "交易日期", "zh_cn": "交易日期"},
    "field_amount": {"en": "Amount paid", "zh_tw": "金額", "zh_cn": "金额"},
    "field_quantity": {
        "en": "Quantity (optional)",
        "zh_tw": "數量（選填）",
        "zh_cn": "数量（选填）",
    },
    "field_order_id": {
        "en": "Receipt / order number (optional)",
        "zh_tw": "發票／訂單號碼（選填）",
        "zh_cn": "发票／订单号码（选填）",
    },
    "field_product": {
        "en": "Product (optional)",
        "zh_tw": "品名（選填）",
        "zh_cn": "品名（选填）",
    },
    "none": {"en": "(not in my file)", "zh_tw": "（檔案中沒有）", "zh_cn": "（文件中没有）"},
    "margin": {
        "en": "Share of sales you keep as gross profit",
        "zh_tw": "毛利占營收比例",
        "zh_cn": "毛利占营收比例",
    },
    "analyse": {"en": "Run the health check", "zh_tw": "開始健康檢查", "zh_cn": "开始健康检查"},
    "audit": {
        "en": "1. What was read, and what was set aside",
        "zh_tw": "1. 讀到了什麼、哪些被擱置",
        "zh_cn": "1. 读到了什么、哪些被搁置",
    },
    "best": {"en": "2. Your best customers", "zh_tw": "2. 最佳顧客", "zh_cn": "2. 最佳顾客"},
    "slipping": {
        "en": "3. Customers slipping away, with a suggested action",
        "zh_tw": "3. 正在流失的顧客與建議行動",
        "zh_cn": "3. 正在流失的顾客与建议行动",
    },
    "segments": {
        "en": "4. RFM segments and what to do with each",
        "zh_tw": "4. RFM 區隔與各自的行動",
        "zh_cn": "4. RFM 区隔与各自的行动",
    },
    "value": {
        "en": "5. Value in the next 12 months",
        "zh_tw": "5. 未來 12 個月的價值",
        "zh_cn": "5. 未来 12 个月的价值",
    },
    "monday": {
        "en": "6. What to do on Monday",
        "zh_tw": "6. 星期一該做的事",
        "zh_cn": "6. 星期一该做的事",
    },
    "download": {
        "en": "Download the Excel workbook",
        "zh_tw": "下載 Excel 活頁簿",
        "zh_cn": "下载 Excel 工作簿",
    },
    "download_png": {"en": "Chart as PNG", "zh_tw": "圖表 PNG", "zh_cn": "图表 PNG"},
    "start_over": {
        "en": "Check another file",
        "zh_tw": "檢查另一個檔案",
        "zh_cn": "检查另一个文件",
    },
    "summary_line": {
        "en": "{lines:,} lines read; {customers:,} customers with a member number; "
        "analysis date {as_of} (the last day with a sale).",
        "zh_tw": "共讀取 {lines:,} 列；有會員編號的顧客 {customers:,} 位；分析日期 {as_of}（最後一筆交易日）。",
        "zh_cn": "共读取 {lines:,} 行；有会员编号的顾客 {customers:,} 位；分析日期 {as_of}（最后一笔交易日）。",
    },
    "too_thin": {
        "en": "Too little data for a 12-month value model: {customers} customers and "
        "{repeaters} who came back (the model needs at least {need_c} customers and "
        "{need_r} who came back). The lists below rank customers by what they spent.",
        "zh_tw": "資料太少，無法建立 12 個月價值模型：{customers} 位顧客、{repeaters} 位回購"
        "（至少需要 {need_c} 位顧客與 {need_r} 位回購）。以下名單依消費金額排序。",
        "zh_cn": "数据太少，无法建立 12 个月价值模型：{customers} 位顾客、{repeaters} 位回购"
        "（至少需要 {need_c} 位顾客与 {need_r} 位回购）。以下名单依消费金额排序。",
    },
    "model_ok": {
        "en": "12-month value from the BG/NBD and Gamma-Gamma models (lesson 10), fitted on "
        "{customers} customers of whom {repeaters} came back.",
        "zh_tw": "12 個月價值來自 BG/NBD 與 Gamma-Gamma 模型（第 10 課），以 {customers} 位顧客"
        "（其中 {repeaters} 位回購）估計。",
        "zh_cn": "12 个月价值来自 BG/NBD 与 Gamma-Gamma 模型（第 10 课），以 {customers} 位顾客"
        "（其中 {repeaters} 位回购）估计。",
    },
    "model_failed": {
        "en": "The 12-month value model could not be fitted on this file ({error}); the lists "
        "rank customers by what they spent.",
        "zh_tw": "此檔案無法建立 12 個月價值模型（{error}）；名單依消費金額排序。",
        "zh_cn": "此文件无法建立 12 个月价值模型（{error}）；名单依消费金额排序。",
    },
    "monday_champions": {
        "en": "Thank your {n} champions personally and ask them for a review or a referral.",
        "zh_tw": "親自感謝 {n} 位冠軍顧客，並請他們留下評價或推薦朋友。",
        "zh_cn": "亲自感谢 {n} 位冠军顾客，并请他们留下评价或推荐朋友。",
    },
    "monday_slipping": {
        "en": "Contact the {n} customers slipping away (they spent {spend} with you): the "
        "'At risk' sheet lists them with their member numbers and an action each.",
        "zh_tw": "聯絡 {n} 位正在流失的顧客（過去共消費 {spend}）：「At risk」工作表列出會員編號與建議行動。",
        "zh_cn": "联系 {n} 位正在流失的顾客（过去共消费 {spend}）：“At risk”工作表列出会员编号与建议行动。",
    },
    "monday_new": {
        "en": "Welcome your {n} new customers and give them a reason for a second visit.",
        "zh_tw": "歡迎 {n} 位新顧客，給他們第二次上門的理由。",
        "zh_cn": "欢迎 {n} 位新顾客，给他们第二次上门的理由。",
    },
    "monday_value": {
        "en": "Protect the {n} customers expected to bring {value} in the next 12 months "
        "({share:.0%} of the expected total).",
        "zh_tw": "守住預計在未來 12 個月帶來 {value} 的 {n} 位顧客（占預期總額 {share:.0%}）。",
        "zh_cn": "守住预计在未来 12 个月带来 {value} 的 {n} 位顾客（占预期总额 {share:.0%}）。",
    },
    "monday_audit": {
        "en": "Look at the {n} lines set aside in the 'Set aside' sheet and fix them at the till.",
        "zh_tw": "查看「Set aside」工作表中被擱置的 {n} 列，並在收銀端修正。",
        "zh_cn": "查看“Set aside”工作表中被搁置的 {n} 行，并在收银端修正。",
    },
    "col_customer": {"en": "member number", "zh_tw": "會員編號", "zh_cn": "会员编号"},
    "col_reason": {"en": "reason", "zh_tw": "原因", "zh_cn": "原因"},
    "full_report": {
        "en": "The loader's full report",
        "zh_tw": "讀取程式的完整報告（英文）",
        "zh_cn": "读取程序的完整报告（英文）",
    },
    "col_lines": {"en": "lines", "zh_tw": "列數", "zh_cn": "行数"},
    "col_first_line": {"en": "first line", "zh_tw": "首次出現的列", "zh_cn": "首次出现的行"},
    "col_segment": {"en": "segment", "zh_tw": "區隔", "zh_cn": "区隔"},
    "col_recency": {
        "en": "days since last visit",
        "zh_tw": "距上次消費天數",
        "zh_cn": "距上次消费天数",
    },
    "col_frequency": {"en": "visits", "zh_tw": "消費次數", "zh_cn": "消费次数"},
    "col_monetary": {"en": "spent", "zh_tw": "消費金額", "zh_cn": "消费金额"},
    "col_value": {"en": "12-month value", "zh_tw": "12 個月價值", "zh_cn": "12 个月价值"},
    "col_action": {"en": "suggested action", "zh_tw": "建議行動", "zh_cn": "建议行动"},
    "col_customers": {"en": "customers", "zh_tw": "顧客數", "zh_cn": "顾客数"},
    "col_share": {"en": "share of spend", "zh_tw": "消費占比", "zh_cn": "消费占比"},
    "error": {
        "en": "The file could not be analysed",
        "zh_tw": "無法分析此檔案",
        "zh_cn": "无法分析此文件",
    },
    "total_value": {
        "en": "Expected gross profit from today's customers in the next 12 months: {value}.",
        "zh_tw": "現有顧客未來 12 個月的預期毛利：{value}。",
        "zh_cn": "现有顾客未来 12 个月的预期毛利：{value}。",
    },
}


def t(key: str, lang: str = "en") -> str:
    """Return the words for ``key`` in ``lang``.

    Parameters
    ----------
    key : str
        A key of :data:`TEXT`.
    lang : {"en", "zh_tw", "zh_cn"}

    Returns
    -------
    str

    Examples
    --------
    >>> t("title", "fr")
    Traceback (most recent call last):
    ...
    ValueError: lang='fr' is not valid; use one of 'en', 'zh_tw', 'zh_cn'
    """
    return TEXT[key][check_lang(lang)]
