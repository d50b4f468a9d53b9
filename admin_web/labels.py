"""Words and symbols for booking and payment states, shared by every page (no imports, no request).

Each status has a symbol as well as a word, so it reads without colour (and in greyscale print).
"""
STATUS_LABELS = {"pending": "Pending", "confirmed": "Confirmed", "completed": "Completed",
                 "cancelled": "Cancelled", "declined": "Declined", "no_show": "No-show"}
STATUS_ICONS = {"pending": "◷", "confirmed": "●", "completed": "✓", "cancelled": "✕", "declined": "✕",
                "no_show": "⊘"}
PAYMENT_LABELS = {"unpaid": "Unpaid", "deposit_paid": "Deposit paid", "partial": "Partly paid", "paid": "Paid",
                  "refunded": "Refunded"}
