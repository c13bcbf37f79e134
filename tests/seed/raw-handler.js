// A correct EKDSend receiver: it verifies the raw request bytes (express.raw, never a
// re-serialised body), compares lengths before crypto.timingSafeEqual (which throws on unequal
// lengths), answers 401 to any missing or wrong signature, and 200 to every valid delivery,
// repeats included. Listens on 127.0.0.1 port 0 and prints its port.
const crypto = require('crypto');
const express = require('express');

const PREFIX = 'sha256=';

function isValid(rawBody, header, secret) {
  if (typeof header !== 'string' || !header.startsWith(PREFIX)) {
    return false;
  }
  const expected = Buffer.from(
    crypto.createHmac('sha256', secret).update(rawBody).digest('hex'),
  );
  const given = Buffer.from(header.slice(PREFIX.length));
  return given.length === expected.length && crypto.timingSafeEqual(given, expected);
}

const app = express();

app.post('/webhook', express.raw({ type: '*/*' }), (req, res) => {
  const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  if (!isValid(body, req.headers['x-ekdsend-signature'], process.env.WEBHOOK_SECRET)) {
    return res.status(401).send('Invalid signature');
  }
  res.status(200).send('OK');
});

const server = app.listen(0, '127.0.0.1', () => {
  console.log(server.address().port);
});
