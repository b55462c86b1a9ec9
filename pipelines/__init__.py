"""Named pipeline definitions (TOML); installed as cardscan.pipelines."""
