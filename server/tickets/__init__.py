"""Order tickets for a thermal printer beside the host: what a ticket says (`layout`), drawn
as a 1-bit picture with our own shaped text, or as plain ASCII text (`render`), and the ESC/POS
bytes a printer takes (`escpos`). Pure: no database, no network."""
