"""The Secretariat's console: one module per concern, every view Secretariat-only."""
