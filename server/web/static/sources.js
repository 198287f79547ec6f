// Health of the server's comment sources in the host console header (filled in by issue 16).
