"""The four course scenarios as plain dicts, each number with where it comes from.

Money is written here at a *US price level*; the world multiplies it by
:data:`PRICE_LEVEL` of the chosen currency, so a latte is NT$120 in Taipei,
¥28 in Shanghai and $4 in the US. Buy-till-you-die rates are **per week**.

Model parameters follow the published models exactly:

* BG/NBD (Fader, Hardie & Lee 2005): purchase rate ``lambda ~ Gamma(r, alpha)``
  (shape ``r``, rate ``alpha``, per week) and dropout after each repeat purchase
  with ``p ~ Beta(a, b)``.
* Gamma-Gamma spend (Fader, Hardie & Lee 2005b, as in lifetimes'
  ``GammaGammaFitter``): order value ``z ~ Gamma(p, rate=nu)``, per-customer
  ``nu ~ Gamma(q, rate=gamma)``; population mean order value ``p * gamma / (q - 1)``.

For orientation, the CDNOW fit of BG/NBD (weekly) is r=0.24, alpha=4.41,
a=0.79, b=2.43; the presets below move from there towards each business.

Examples
--------
>>> sorted(SCENARIOS)
['b2b_service', 'coffee_shop', 'fmcg_brand', 'online_store']
>>> s = SCENARIOS["coffee_shop"]
>>> s["locale"], s["competition"], round(s["p"] * s["gamma_usd"] / (s["q"] - 1), 2)
('zh_TW', 'high', 5.33)
"""

from __future__ import annotations

__all__ = [
    "COMPETITION",
    "PRICE_LEVEL",
    "SATISFACTION_CUTS",
    "SATISFACTION_HALO",
    "SCENARIOS",
    "SEGMENTS",
]

#: Local price level: how many units of the currency buy what $1 buys in a US
#: city cafe or shop. Not the exchange rate (TWD ~32, CNY ~7.2 per USD in 2024)
#: but what prices look like locally: a latte is ~NT$120 (30 x $4) and ~¥28 (7 x $4).
PRICE_LEVEL = {"USD": 1.0, "TWD": 30.0, "CNY": 7.0}

#: Decimal places shown for money in each currency (TWD prices are whole dollars).
MONEY_DECIMALS = {"USD": 2, "TWD": 0, "CNY": 2}

#: How strongly latent satisfaction is tied to the (inverse) dropout quantile.
#: High competition: unhappy customers leave (Jones & Sasser 1995, "Why satisfied
#: customers defect", HBR: in competitive markets only "completely satisfied"
#: customers are truly loyal). Low: they cannot switch (false loyalty).
COMPETITION = {"low": 0.15, "medium": 0.55, "high": 0.92}

#: Cut points on the latent satisfaction z-score for answers 1..7. They give the
#: usual left-skewed survey distribution: ~3 % "1", 5 % "2", 8 % "3", 12 % "4",
#: 22 % "5", 30 % "6", 20 % "7" (top box), as in typical retail CSAT reports.
SATISFACTION_CUTS = (-1.88, -1.41, -0.99, -0.58, 0.0, 0.84)

#: Correlation between a respondent's experiences of product, service, staff and
#: brand ("halo": who likes one part of a business tends to like the others; survey
#: dimensions typically correlate 0.3-0.6). Each scenario's ``satisfaction_weights``
#: say how much each dimension really drives satisfaction: they are the standardised
#: coefficients of latent satisfaction on the four experiences, so the variance they
#: explain is ``w' S w`` with ``S`` the halo correlation matrix (the rest is mood,
#: price, things the survey does not ask). A driver analysis (regression of overall
#: satisfaction on the perceptions) recovers their order; answer noise and the
#: expectations mixed into perceptions shrink the estimates, as in real surveys.
SATISFACTION_HALO = 0.4

#: The four latent need segments: centre of (need_price, need_quality,
#: need_convenience, need_social). Spread within a segment is ``SEGMENT_SD``.
#: Centres are far enough apart that clustering recovers them, close enough
#: that some customers sit between segments, as in real survey data.
SEGMENTS = {
    "price_seekers": (0.80, 0.30, 0.50, 0.30),
    "quality_seekers": (0.25, 0.85, 0.40, 0.40),
    "convenience_seekers": (0.45, 0.45, 0.85, 0.20),
    "social_seekers": (0.35, 0.50, 0.30, 0.85),
}
SEGMENT_SD = 0.15

_WINDOW = {"start": "2024-01-01", "end": "2025-12-31"}  # two calendar years

SCENARIOS: dict[str, dict] = {
    # ------------------------------------------------------------------ coffee
    "coffee_shop": {
        "description": (
            "A neighbourhood coffee shop in Taipei with a loyalty card: regulars, "
            "anonymous walk-ins, a small catalogue, few campaigns, many competitors nearby."
        ),
        "n_customers": 3000,  # a busy single shop knows a few thousand card holders
        "locale": "zh_TW",
        "competition": "high",  # a cafe on every corner
        **_WINDOW,
        # BG/NBD, weekly: mean rate r/alpha = 0.5 visits/week (a regular every other
        # week); r < 1 gives the usual long tail of daily regulars.
        "r": 0.75,
        "alpha": 1.5,
        # mean dropout a/(a+b) = 0.12 per visit: half of the card holders drift off
        # within ~6 repeat visits, as cafe loyalty-card churn reports suggest.
        "a": 0.6,
        "b": 4.4,
        # Gamma-Gamma spend: mean order 6*3.55/(5-1) = $5.3 (NT$160: a drink and half a
        # pastry); p=6 gives a within-customer coefficient of variation of 1/sqrt(6)=0.41.
        "p": 6.0,
        "q": 5.0,
        "gamma_usd": 3.55,
        "segment_weights": (0.30, 0.20, 0.30, 0.20),  # commuters and bargain hunters dominate
        "walk_in_share": 0.35,  # share of all sales without a card (typical for card schemes)
        "return_rate": 0.01,  # refunds are rare in food service
        "survey_rate": 0.25,  # a QR-code survey on the receipt, 1 in 4 card holders answer
        "ticket_rate": 0.004,  # complaints per customer-week (one per ~5 years of visits)
        "member_rate": 0.45,  # share of card holders who join the paid membership
        "consent_rate": 0.55,  # opted in to LINE / SMS / e-mail messages
        "loyalty_after": 5,  # repeat visits before the "loyal" lifecycle stage
        # true drivers of satisfaction (see SATISFACTION_HALO): the queue and speed of
        # service matter most in a commuter cafe, then the coffee itself, then the
        # baristas' friendliness; the brand matters little next door to rivals
        "satisfaction_weights": {"product": 0.32, "service": 0.45, "staff": 0.18, "brand": 0.08},
        # a card holder who stops coming just stops: no one cancels a loyalty card
        "churn_observable": False,
        # known prospects: LINE followers / app sign-ups who never bought. Per channel:
        # (aware -> considered, i.e. claimed the welcome coupon; considered -> bought).
        # Passers-by and friends' tips convert best, social-media followers worst
        # (small-retail funnel benchmarks: 10-50 % of known leads ever buy).
        "funnel": {
            "walk_by": (0.60, 0.70),
            "word_of_mouth": (0.70, 0.75),
            "social_media": (0.45, 0.55),
            "google_maps": (0.50, 0.60),
            "coupon_app": (0.45, 0.55),
        },
        "use_delay_days": (0.0, 0.0),  # coffee is used on the spot
        "gender_weights": {"F": 0.56, "M": 0.42, "X": 0.02},
        "age_mean": 34,  # urban cafe customers, 18-70
        "age_sd": 11,
        "weekday": (1.1, 1.05, 1.05, 1.05, 1.1, 0.85, 0.8),  # office district: quiet weekends
        "yearly_amplitude": 0.08,  # +/-8 %: cold-drink summer vs hot-drink winter roughly cancel
        "yearly_peak_doy": 350,  # December gifting (beans, merchandise)
        "open_hours": {
            7: 10,
            8: 16,
            9: 12,
            10: 8,
            11: 6,
            12: 9,
            13: 10,
            14: 9,
            15: 9,
            16: 6,
            17: 4,
            18: 3,
            19: 2,
        },
        "order_channels": {"store": 0.82, "app": 0.15, "phone": 0.03},
        "acquisition": {
            # channel: (share, cost per customer at US price level, dropout tilt)
            # tilt > 0: the channel brings customers who leave sooner.
            "walk_by": (0.40, 0.0, 0.0),
            "word_of_mouth": (0.20, 0.0, -0.5),
            "social_media": (0.20, 2.0, 0.4),
            "google_maps": (0.12, 1.0, 0.1),
            "coupon_app": (0.08, 4.0, 1.0),
        },
        "ticket_topics": {
            "wrong_order": (0.30, 0.5),  # (share, median hours to resolve)
            "slow_service": (0.25, 2.0),
            "card_points": (0.25, 24.0),
            "food_quality": (0.15, 4.0),
            "hygiene": (0.05, 24.0),
        },
        "ticket_hours_usd": 12.0,  # barista wage incl. overhead per hour
        "ticket_minutes": 15,  # median staff minutes spent per complaint
        "products": "coffee",
        "campaigns": [
            {
                "id": "CP01",
                "name": "New pastry launch (e-mail)",
                "channel": "email",
                "at": 0.20,  # fraction of the window when it is sent
                "days": 14,
                "targeting": "all_consented",
                "randomised": False,
                "cost_usd": 0.01,
                "open": 0.28,
                "click": 0.12,
                "unsub": 0.004,
                "uplift_click": 0.25,
                "uplift_base": 0.01,
                "relevant_segment": "social_seekers",
            },
            {
                "id": "CP02",
                "name": "Win-back SMS for lapsed regulars (randomised)",
                "channel": "sms",
                "at": 0.55,
                "days": 21,
                "targeting": "lapsed_30",
                "randomised": True,
                "control_share": 0.5,
                "cost_usd": 0.05,
                "open": 0.90,  # SMS are nearly always read
                "click": 0.10,
                "unsub": 0.01,
                "uplift_click": 0.6,
                "uplift_base": 0.25,
                "relevant_segment": "price_seekers",
            },
            {
                "id": "CP03",
                "name": "Member double points week (app)",
                "channel": "app",
                "at": 0.80,
                "days": 7,
                "targeting": "members",
                "randomised": False,
                "cost_usd": 0.0,
                "open": 0.45,
                "click": 0.20,
                "unsub": 0.002,
                "uplift_click": 0.30,
                "uplift_base": 0.02,
                "relevant_segment": "convenience_seekers",
            },
        ],
    },
    # ------------------------------------------------------------ online store
    "online_store": {
        "description": (
            "A US home-and-lifestyle web shop that buys most customers through paid ads "
            "and does little to keep them: high first-order conversion, high churn."
        ),
        "n_customers": 3000,
        "locale": "en_US",
        "competition": "high",  # shoppers are one click from a rival
        **_WINDOW,
        # mean rate 0.4/6 = 0.067 orders/week (3.5 a year while active), heavy tail (r<1)
        "r": 0.4,
        "alpha": 6.0,
        # mean dropout 1.2/(1.2+2.2) = 0.35: most paid-ad customers buy once or twice
        "a": 1.2,
        "b": 2.2,
        # mean order 4*40/(3.5-1) = $64, a typical e-commerce basket (2024 US average ~$60-70)
        "p": 4.0,
        "q": 3.5,
        "gamma_usd": 40.0,
        "segment_weights": (0.35, 0.20, 0.30, 0.15),
        "walk_in_share": 0.0,  # every web order has an account or guest id
        "return_rate": 0.08,  # online returns run at 5-10 % of orders outside apparel
        "survey_rate": 0.15,  # post-delivery e-mail survey
        "ticket_rate": 0.01,
        "member_rate": 0.20,  # paid "plus" membership with free shipping
        "consent_rate": 0.70,  # newsletter box pre-ticked at checkout
        "loyalty_after": 2,
        # a web shop is judged on the goods first, then delivery and returns (service),
        # then the brand; staff are rarely met
        "satisfaction_weights": {"product": 0.46, "service": 0.28, "staff": 0.05, "brand": 0.20},
        "churn_observable": False,  # shoppers just stop ordering
        # known prospects: accounts and newsletter sign-ups without an order.
        # (aware -> added to cart; cart -> ordered): e-commerce cart abandonment runs
        # at about 70 % (Baymard Institute), paid social converts worst, referrals best
        "funnel": {
            "paid_search": (0.45, 0.35),
            "social_ads": (0.35, 0.30),
            "affiliate": (0.45, 0.40),
            "organic": (0.55, 0.45),
            "referral": (0.65, 0.55),
        },
        "use_delay_days": (2.0, 5.0),  # delivery time
        "gender_weights": {"F": 0.58, "M": 0.40, "X": 0.02},
        "age_mean": 38,
        "age_sd": 12,
        "weekday": (1.05, 1.0, 1.0, 1.0, 0.95, 0.95, 1.05),  # Sunday-evening browsing
        "yearly_amplitude": 0.12,
        "yearly_peak_doy": 333,  # late November: Black Friday / Cyber Monday
        "open_hours": {
            h: (3 if h < 7 else 6 if h < 12 else 8 if h < 19 else 10) for h in range(24)
        },
        "order_channels": {"online": 0.65, "app": 0.35},
        "acquisition": {
            "paid_search": (0.35, 45.0, 0.6),  # CAC figures: US DTC averages 2023-24
            "social_ads": (0.30, 35.0, 0.8),
            "affiliate": (0.10, 25.0, 0.5),
            "organic": (0.15, 5.0, -0.4),
            "referral": (0.10, 15.0, -0.6),
        },
        "ticket_topics": {
            "delivery_delay": (0.35, 24.0),
            "return_request": (0.25, 48.0),
            "damaged_item": (0.15, 24.0),
            "payment": (0.15, 4.0),
            "account": (0.10, 2.0),
        },
        "ticket_hours_usd": 25.0,
        "ticket_minutes": 20,
        "products": "lifestyle",
        "campaigns": [
            {
                "id": "OS01",
                "name": "Spring sale newsletter",
                "channel": "email",
                "at": 0.18,
                "days": 10,
                "targeting": "all_consented",
                "randomised": False,
                "cost_usd": 0.005,
                "open": 0.22,
                "click": 0.15,
                "unsub": 0.006,
                "uplift_click": 0.20,
                "uplift_base": 0.005,
                "relevant_segment": "price_seekers",
            },
            {
                "id": "OS02",
                "name": "We miss you: 15 % off (randomised)",
                "channel": "email",
                "at": 0.50,
                "days": 21,
                "targeting": "lapsed_60",
                "randomised": True,
                "control_share": 0.2,
                "cost_usd": 0.005,
                "open": 0.20,
                "click": 0.25,
                "unsub": 0.01,
                "uplift_click": 0.5,
                "uplift_base": 0.1,
                "relevant_segment": "price_seekers",
            },
            {
                "id": "OS03",
                "name": "Black Friday retargeting",
                "channel": "social",
                "at": 0.90,
                "days": 10,
                "targeting": "all_consented",
                "randomised": False,
                "cost_usd": 0.40,
                "open": 0.60,  # an impression counts as "opened"
                "click": 0.03,
                "unsub": 0.0,
                "uplift_click": 0.30,
                "uplift_base": 0.01,
                "relevant_segment": "convenience_seekers",
            },
            {
                "id": "OS04",
                "name": "VIP early access (app)",
                "channel": "app",
                "at": 0.70,
                "days": 7,
                "targeting": "top_spenders",
                "randomised": False,
                "cost_usd": 0.0,
                "open": 0.40,
                "click": 0.25,
                "unsub": 0.003,
                "uplift_click": 0.25,
                "uplift_base": 0.02,
                "relevant_segment": "quality_seekers",
            },
        ],
    },
    # -------------------------------------------------------------- FMCG brand
    "fmcg_brand": {
        "description": (
            "A Chinese snack-and-drink brand selling direct through its members' mini "
            "programme; campaign-driven, with one badly targeted mass promotion."
        ),
        "n_customers": 3000,
        "locale": "zh_CN",
        "competition": "medium",  # strong brands, but switching costs are low
        **_WINDOW,
        # 0.5/5 = 0.1 orders/week (~5 a year), as for a brand-direct channel
        "r": 0.5,
        "alpha": 5.0,
        # mean dropout 0.9/(0.9+3.0) = 0.23
        "a": 0.9,
        "b": 3.0,
        # mean order 5*2.6/(4-1) = $4.3 -> about ¥30: a few snacks and drinks
        "p": 5.0,
        "q": 4.0,
        "gamma_usd": 2.6,
        "segment_weights": (0.40, 0.15, 0.25, 0.20),  # snack buyers are price-driven
        "walk_in_share": 0.0,
        "return_rate": 0.02,
        "survey_rate": 0.20,
        "ticket_rate": 0.003,
        "member_rate": 0.50,  # members' club in the mini programme
        "consent_rate": 0.65,
        "loyalty_after": 3,
        # taste first, then the brand (the mass blast hurt it), then delivery service;
        # staff (chat agents) hardly matter
        "satisfaction_weights": {"product": 0.42, "service": 0.15, "staff": 0.06, "brand": 0.34},
        "churn_observable": False,  # members just stop ordering
        # known prospects: followers of the mini programme who never ordered.
        # (aware -> claimed a coupon / added to cart; -> ordered): live-stream viewers
        # browse a lot and buy little, friends' referrals and in-store QR scans convert
        "funnel": {
            "kol_livestream": (0.40, 0.35),
            "social_ads": (0.35, 0.35),
            "in_store_qr": (0.60, 0.55),
            "friend_referral": (0.65, 0.60),
        },
        "use_delay_days": (1.0, 4.0),  # courier delivery
        "gender_weights": {"F": 0.60, "M": 0.39, "X": 0.01},
        "age_mean": 30,
        "age_sd": 9,
        "weekday": (0.95, 0.95, 0.95, 1.0, 1.05, 1.05, 1.05),
        "yearly_amplitude": 0.10,
        "yearly_peak_doy": 30,  # Spring Festival gift boxes (late Jan / Feb)
        "open_hours": {
            h: (2 if h < 8 else 6 if h < 12 else 7 if h < 20 else 10) for h in range(24)
        },
        "order_channels": {"mini_program": 0.60, "online": 0.30, "app": 0.10},
        "acquisition": {
            "kol_livestream": (0.30, 3.0, 0.8),  # key-opinion-leader live selling
            "social_ads": (0.25, 2.0, 0.5),
            "in_store_qr": (0.25, 0.5, -0.2),
            "friend_referral": (0.20, 1.0, -0.5),
        },
        "ticket_topics": {
            "delivery_delay": (0.40, 24.0),
            "product_quality": (0.25, 24.0),
            "coupon_problem": (0.20, 4.0),
            "refund": (0.15, 48.0),
        },
        "ticket_hours_usd": 8.0,
        "ticket_minutes": 10,
        "products": "snacks",
        "campaigns": [
            {
                "id": "FB01",
                "name": "Mass SMS blast: premium gift box",
                "channel": "sms",
                "at": 0.35,
                "days": 14,
                "targeting": "all_consented",
                "randomised": False,
                "cost_usd": 0.01,
                # the failure case: open ~5 %, many unsubscribes (CRM_DOMAIN failure 1)
                "open": 0.05,
                "click": 0.08,
                "unsub": 0.05,
                "uplift_click": 0.10,
                "uplift_base": 0.0,
                "relevant_segment": "quality_seekers",
                "mistargeted": True,
            },
            {
                "id": "FB02",
                "name": "New flavour sampler for members (randomised)",
                "channel": "app",
                "at": 0.60,
                "days": 21,
                "targeting": "members",
                "randomised": True,
                "control_share": 0.5,
                "cost_usd": 0.02,
                "open": 0.35,
                "click": 0.25,
                "unsub": 0.003,
                "uplift_click": 0.5,
                "uplift_base": 0.12,
                "relevant_segment": "social_seekers",
            },
            {
                "id": "FB03",
                "name": "Double 11 festival coupons",
                "channel": "social",
                "at": 0.86,
                "days": 14,
                "targeting": "all_consented",
                "randomised": False,
                "cost_usd": 0.05,
                "open": 0.30,
                "click": 0.12,
                "unsub": 0.004,
                "uplift_click": 0.30,
                "uplift_base": 0.01,
                "relevant_segment": "price_seekers",
            },
        ],
    },
    # ------------------------------------------------------------- B2B service
    "b2b_service": {
        "description": (
            "A US software-and-services vendor to small firms: few, large accounts, "
            "contracts with high switching costs, and a busy support desk."
        ),
        "n_customers": 600,  # a niche vendor has hundreds of accounts, not thousands
        "locale": "en_US",
        "competition": "low",  # switching costs: data migration, retraining
        **_WINDOW,
        # 2/8 = 0.25 orders/week (about monthly invoices and add-on orders); r=2 means
        # accounts are more alike than consumers are
        "r": 2.0,
        "alpha": 8.0,
        # mean dropout 0.4/(0.4+8) = 0.05: few accounts leave after any one order
        "a": 0.4,
        "b": 8.0,
        # mean order 3*3000/(6-1) = $1,800 per invoice
        "p": 3.0,
        "q": 6.0,
        "gamma_usd": 3000.0,
        "segment_weights": (0.30, 0.30, 0.25, 0.15),
        "walk_in_share": 0.0,
        "return_rate": 0.01,  # credit notes
        "survey_rate": 0.40,  # annual account review survey
        "ticket_rate": 0.15,  # support tickets per account-week (a busy desk)
        "member_rate": 0.35,  # premium support plan
        "consent_rate": 0.85,
        "loyalty_after": 6,
        # a relationship business: support (service) first, then the account team
        # (staff), then the software itself; the vendor's brand matters little
        "satisfaction_weights": {"product": 0.25, "service": 0.40, "staff": 0.30, "brand": 0.08},
        # contracts are cancelled in writing: the business sees the churn date
        "churn_observable": True,
        # sales pipeline: (marketing-qualified lead -> sales-qualified / demo;
        # -> signed contract). B2B lead-to-customer rates of 5-10 % are typical,
        # partners and referrals convert far better than cold outbound leads
        "funnel": {
            "outbound_sales": (0.25, 0.25),
            "inbound_web": (0.35, 0.25),
            "partner": (0.50, 0.40),
            "trade_show": (0.30, 0.25),
            "referral": (0.60, 0.50),
        },
        "use_delay_days": (7.0, 30.0),  # onboarding before real use
        "money_decimals": 0,  # invoices in whole dollars
        "gender_weights": {"F": 0.45, "M": 0.53, "X": 0.02},  # the account's main contact
        "age_mean": 44,
        "age_sd": 9,
        "weekday": (1.2, 1.2, 1.2, 1.2, 1.1, 0.05, 0.05),  # invoices on working days
        "yearly_amplitude": 0.05,
        "yearly_peak_doy": 350,  # year-end budget spending
        "open_hours": {h: (6 if 9 <= h <= 17 else 1 if 7 <= h <= 20 else 0) for h in range(24)},
        "order_channels": {"account_manager": 0.55, "online": 0.35, "phone": 0.10},
        "acquisition": {
            "outbound_sales": (0.35, 1500.0, 0.2),
            "inbound_web": (0.25, 400.0, 0.3),
            "partner": (0.20, 800.0, -0.2),
            "trade_show": (0.10, 1200.0, 0.0),
            "referral": (0.10, 300.0, -0.6),
        },
        "ticket_topics": {
            "how_to": (0.35, 4.0),
            "bug": (0.25, 48.0),
            "integration": (0.15, 72.0),
            "billing": (0.15, 8.0),
            "outage": (0.10, 6.0),
        },
        "ticket_hours_usd": 60.0,  # support engineer incl. overhead
        "ticket_minutes": 90,
        "products": "b2b",
        "campaigns": [
            {
                "id": "BS01",
                "name": "Customer webinar invitation",
                "channel": "email",
                "at": 0.30,
                "days": 30,
                "targeting": "all_consented",
                "randomised": False,
                "cost_usd": 0.02,
                "open": 0.35,
                "click": 0.15,
                "unsub": 0.002,
                "uplift_click": 0.10,
                "uplift_base": 0.01,
                "relevant_segment": "quality_seekers",
            },
            {
                "id": "BS02",
                "name": "Premium support upgrade offer (randomised)",
                "channel": "email",
                "at": 0.65,
                "days": 30,
                "targeting": "all_consented",
                "randomised": True,
                "control_share": 0.5,
                "cost_usd": 0.02,
                "open": 0.40,
                "click": 0.20,
                "unsub": 0.002,
                "uplift_click": 0.6,
                "uplift_base": 0.3,
                "relevant_segment": "convenience_seekers",
            },
        ],
    },
}
