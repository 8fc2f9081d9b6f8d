// Content script: invite-history augmentation. (Filled in by the in-page controls work.)
document.documentElement.dataset.reclaiminvitehistory = 'loaded';
