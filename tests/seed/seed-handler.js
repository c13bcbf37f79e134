// The seed's own EKDSend handler (its "Signature Verification" section), verbatim between the
// marks, with only what an app needs around it: express, express.json(), and a listener on
// 127.0.0.1 port 0 that prints its port. tests/cli/seed.rs runs `hookctl check` against it.
const express = require('express');
const app = express();
app.use(express.json());

// ---- verbatim from the seed ----
const crypto = require('crypto');

function verifyWebhookSignature(payload, signature, secret) {
  const expectedSignature = crypto
    .createHmac('sha256', secret)
    .update(payload)
    .digest('hex');
    
  return crypto.timingSafeEqual(
    Buffer.from(signature),
    Buffer.from('sha256=' + expectedSignature)
  );
}

// In your webhook handler
app.post('/webhook', (req, res) => {
  const signature = req.headers['x-ekdsend-signature'];
  const isValid = verifyWebhookSignature(
    JSON.stringify(req.body),
    signature,
    process.env.WEBHOOK_SECRET
  );
  
  if (!isValid) {
    return res.status(401).send('Invalid signature');
  }
  
  // Process the webhook
  console.log('Event:', req.body.type);
  res.status(200).send('OK');
});
// ---- end of the seed's code ----

const server = app.listen(0, '127.0.0.1', () => {
  console.log(server.address().port);
});
