// Package pii protects personal data: the national identity number (居民身份证号)
// and phone numbers of borrowers and their registered contacts.
//
// Three forms of each value exist:
//   - the ciphertext (AES-256-GCM) that the store keeps at rest, from which
//     only holders of the key recover the plaintext, and only through an
//     audited "reveal";
//   - a keyed hash (HMAC-SHA256) that lets the store find a borrower by phone
//     or national id without decrypting anything: equal inputs give equal
//     hashes, and without the key a hash cannot be brute-forced from the small
//     space of Chinese phone numbers;
//   - a masked copy for display (138****8000, 110105********1234, 张**).
//
// The key is 32 bytes, given as ACCORD_SECRET_KEY or kept in a key file that
// LoadKey creates on first run. Losing it makes every encrypted column
// unreadable, so back it up apart from the database.
package pii
