"""What staff have published to the public results pages: nothing else reaches them."""
