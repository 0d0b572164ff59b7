"""The daily digest: subscriptions, schedule, store of what was sent, rendering and delivery."""
